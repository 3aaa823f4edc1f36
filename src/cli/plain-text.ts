// C0 and C1 control characters, DEL, \t, \n and \r included.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]+/g;

/**
 * Makes text from the server or the user safe to print on one terminal line: each run of
 * control characters (line breaks and escape sequences included) becomes one space.
 */
export function toPlainLine(text: string): string {
  return text.replace(CONTROL_CHARACTERS, ' ').trim();
}
