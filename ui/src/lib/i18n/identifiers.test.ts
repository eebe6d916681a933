import { describe, expect, it } from "vitest";
import { identifiersIn } from "./identifiers";

describe("identifiersIn", () => {
  it("finds field names and codes, not prose", () => {
    expect(
      identifiersIn("retention idDocumentDaysAfterPrint awaiting_photo errors.operator.pin_wrong"),
    ).toEqual(["idDocumentDaysAfterPrint", "awaiting_photo", "errors.operator.pin_wrong"]);
    expect(identifiersIn("Séparés par des virgules (ex. univ.fr, labo.fr), e.g. 2 jours.")).toEqual([]);
  });
});
