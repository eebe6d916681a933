// A template version's note, as the backend writes it ("designer: staff.toml",
// "file: x.toml", "built-in", "restored: 3"), in the operator's language.
import type { TemplateVersionSummary } from "../ipc/generated/TemplateVersionSummary";
import { t } from "../i18n/index.svelte";

export function versionNote(v: Pick<TemplateVersionSummary, "note" | "builtin">): string {
  const [kind, ...rest] = v.note.split(": ");
  const detail = rest.join(": ");
  switch (kind) {
    case "designer":
      return t("templates.note.designer", { file: detail });
    case "file":
      return t("templates.note.file", { file: detail });
    case "restored":
      return t("templates.note.restored", { version: detail });
    default:
      return v.builtin ? t("templates.note.builtin") : t("templates.note.other");
  }
}
