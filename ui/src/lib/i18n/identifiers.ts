// What an internal name looks like when it leaks onto the screen: a camelCase field
// (`idDocumentDaysAfterPrint`), a snake_case key (`awaiting_photo`), or a dotted
// message or error code (`settings.rule.retention`). Tests scan what a screen shows
// with it; prose ("e.g.", a domain like "univ.fr") does not match.
const IDENTIFIER = /\b(?:[a-z]+[A-Z][A-Za-z]*|[a-z0-9]+_[a-z0-9_]+|[a-z]+(?:\.[a-z_]+){2,})\b/g;

/** The identifier-like words in `text`, in order. */
export function identifiersIn(text: string): string[] {
  return text.match(IDENTIFIER) ?? [];
}
