// A leaf module: the request context (uiContext) carries the parsed form and
// readForm parses it, so neither has to import the other for the shape.

/** A submitted form: each field once, or several times (checkboxes). */
export type Form = Record<string, string | File | (string | File)[]>;
