// Line-anchored counts of a turn (code-like lines, list items), found by jumping from line to line.
import { isWordChar } from "./phrases.ts";

/**
 * These are the counts the patterns below give as global multiline regexes; a regex engine tries
 * `^` at every character of a pasted file, while this reads each line's opening and ending only.
 * The regexes stay the definition (the tests compare both on the labelled set and on random text):
 *
 *   code opening   /^\s*(?:def|class|function|…|#include)\b/gm
 *   code ending    /(?:[;{}]|=>)[ \t]*$/gm
 *   list item      /^\s*(?:\d+[.)]|[-*•])\s+/gm
 */
export const CODE_KEYWORDS: ReadonlySet<string> = new Set([
  "def",
  "class",
  "function",
  "const",
  "let",
  "var",
  "import",
  "from",
  "return",
  "if",
  "for",
  "while",
  "fn",
  "func",
  "pub",
  "package",
  "public",
  "private",
  "select",
  "insert",
  "update",
]);

/** A regex line terminator: where `^` and `$` match in multiline mode. */
const isLineEnd = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/** What a regex `\s` matches. */
export function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** End of a code keyword starting at `q` (followed by a word boundary), or -1. */
function keywordEnd(text: string, q: number): number {
  if (text.charCodeAt(q) === 35 /* # */) {
    const end = q + 8;
    return text.startsWith("include", q + 1) && (end >= text.length || !isWordChar(text.charCodeAt(end)))
      ? end
      : -1;
  }
  let r = q;
  while (r < text.length && isWordChar(text.charCodeAt(r))) r++;
  // Every keyword is made of word characters and must end at a boundary: it is the whole word.
  return r > q && r - q <= 8 && CODE_KEYWORDS.has(text.slice(q, r)) ? r : -1;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** End of a list item's marker and the whitespace after it, starting at `q`, or -1. */
function listMarkerEnd(text: string, q: number): number {
  const c = text.charCodeAt(q);
  let r = -1;
  if (isDigit(c)) {
    r = q + 1;
    while (r < text.length && isDigit(text.charCodeAt(r))) r++;
    const after = text.charCodeAt(r);
    r = after === 46 /* . */ || after === 41 /* ) */ ? r + 1 : -1;
  } else if (c === 45 /* - */ || c === 42 /* * */ || c === 0x2022 /* • */) r = q + 1;
  if (r < 0 || r >= text.length || !isSpace(text.charCodeAt(r))) return -1;
  return skipSpace(text, r);
}

/** A line that, without trailing spaces and tabs, ends in `;`, `{`, `}` or `=>`. */
function endsLikeCode(text: string, start: number, end: number): boolean {
  let i = end - 1;
  while (i >= start && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  if (i < start) return false;
  const c = text.charCodeAt(i);
  return c === 59 || c === 123 || c === 125 || (c === 62 && i > start && text.charCodeAt(i - 1) === 61);
}

export interface LineCounts {
  codeOpenings: number;
  codeEndings: number;
  listItems: number;
}

export function lineCounts(text: string): LineCounts {
  let codeOpenings = 0;
  let codeEndings = 0;
  let listItems = 0;
  // Where each global regex would resume its search: after its last match (its lastIndex).
  let openingFrom = 0;
  let listFrom = 0;
  // Lines are found with the engine's own search for "\n" unless the text has other line ends.
  const onlyNewlines = text.indexOf("\r") < 0 && text.indexOf("\u2028") < 0 && text.indexOf("\u2029") < 0;
  let start = 0;
  while (start <= text.length) {
    let end = onlyNewlines ? text.indexOf("\n", start) : start;
    if (end < 0) end = text.length;
    else if (!onlyNewlines) while (end < text.length && !isLineEnd(text.charCodeAt(end))) end++;
    // `^\s*` may run over blank lines to the next text; the match then ends past those line starts.
    if (start >= openingFrom || start >= listFrom) {
      const q = skipSpace(text, start);
      if (start >= openingFrom && q < text.length) {
        const e = keywordEnd(text, q);
        if (e >= 0) {
          codeOpenings++;
          openingFrom = e;
        }
      }
      if (start >= listFrom && q < text.length) {
        const e = listMarkerEnd(text, q);
        if (e >= 0) {
          listItems++;
          listFrom = e;
        }
      }
    }
    if (endsLikeCode(text, start, end)) codeEndings++;
    start = end + 1;
  }
  return { codeOpenings, codeEndings, listItems };
}
