// What an internal name looks like when it leaks onto the screen: a camelCase field
// (`idDocumentDaysAfterPrint`), a snake_case key (`awaiting_photo`), or a dotted
// message or error code (`settings.rule.retention`). Tests scan what a screen shows
// with it; prose ("e.g.", a domain like "univ.fr") does not match.
const IDENTIFIER = /\b(?:[a-z]+[A-Z][A-Za-z]*|[a-z0-9]+_[a-z0-9_]+|[a-z]+(?:\.[a-z_]+){2,})\b/g;

/** The identifier-like words in `text`, in order. */
export function identifiersIn(text: string): string[] {
  return text.match(IDENTIFIER) ?? [];
}

/**
 * Every text `element` shows, one piece per text node: a table's headers or a
 * menu's options are separate words, as on screen, not glued into one.
 */
export function shownText(element: Element): string {
  const walker = element.ownerDocument.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const parts: string[] = [];
  while (walker.nextNode()) parts.push(walker.currentNode.textContent ?? "");
  return parts.join(" ");
}
