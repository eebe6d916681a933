// The UI language: French by default, English on request, remembered on this
// machine. Components read `t(...)` inside markup so they follow a switch live.
import { fr, type MessageKey, type Messages } from "./fr/index";
import { en } from "./en/index";
import { IpcError, isAppError } from "../ipc";

export type { MessageKey };

export type Locale = "fr" | "en";
export const LOCALES: readonly Locale[] = ["fr", "en"];

const CATALOGUES: Record<Locale, Messages> = { fr, en };
const STORAGE_KEY = "sesame.locale";

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === "fr" || saved === "en") return saved;
  } catch {
    // Storage can be unavailable (private mode, tests): French stays.
  }
  return "fr";
}

export const i18n = $state({ locale: initialLocale() });

export function setLocale(locale: Locale): void {
  i18n.locale = locale;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered, still switched.
  }
  if (typeof document !== "undefined") document.documentElement.lang = locale;
}

/** Translates a key, filling `{name}` placeholders from `params`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = CATALOGUES[i18n.locale][key] ?? fr[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Whether `key` is a message key (for keys built from backend values). */
export function isMessageKey(key: string): key is MessageKey {
  return key in fr;
}

/**
 * The text of a key built from a backend value (`action.${name}`), or `fallback`
 * when the catalogue has none: a value added in Rust shows as it is, not blank.
 */
export function textOr(key: string, fallback: string): string {
  return isMessageKey(key) ? t(key) : fallback;
}

/** Whether a backend error code has its own translation. */
function errorKey(code: string): MessageKey | undefined {
  const key = `errors.${code}`;
  return isMessageKey(key) ? key : undefined;
}

/**
 * The text of a backend error code carried inside a result (a refused CSV row,
 * a skipped badge), or the code itself when it has no text yet.
 */
export function errorText(code: string): string {
  return textOr(`errors.${code}`, code);
}

/** The operator-facing text for any thrown value, chosen by error code. */
export function describeError(error: unknown): { text: string; detail: string; code: string } {
  if (isAppError(error) && !(error instanceof IpcError)) {
    // An AppError returned inside a result (e.g. a printer that refused a job
    // after the badges were printed) rather than thrown.
    error = new IpcError(error.code, error.message);
  }
  if (error instanceof IpcError) {
    const key = errorKey(error.code);
    return { text: key ? t(key) : t("errors.unknown"), detail: error.detail, code: error.code };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { text: t("errors.unknown"), detail, code: "ui.unexpected" };
}

/** Locale-aware date formatting (dates are ISO strings from the backend). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(i18n.locale === "fr" ? "fr-FR" : "en-GB", {
    dateStyle: "medium",
  }).format(date);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(i18n.locale === "fr" ? "fr-FR" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(date);
}

/** The local time of day of an instant, hours and minutes ("09:05"). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(i18n.locale === "fr" ? "fr-FR" : "en-GB", {
    timeStyle: "short",
  }).format(date);
}
