import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import DateField from "./DateField.svelte";
import { setLocale } from "../i18n/index.svelte";
import { setEnglishDateOrder } from "./dates.svelte";

describe("DateField", () => {
  afterEach(() => {
    setLocale("fr");
    setEnglishDateOrder(undefined);
  });

  it("shows and reads jj/mm/aaaa in French, and names an unreadable date under the field", async () => {
    const changes: string[] = [];
    let value = "2026-03-01";
    render(DateField, {
      get value() {
        return value;
      },
      set value(v: string) {
        value = v;
        changes.push(v);
      },
      testid: "when",
    });
    const input = screen.getByTestId("when") as HTMLInputElement;
    expect(input.value).toBe("01/03/2026");
    expect(input.placeholder).toBe("jj/mm/aaaa");

    await fireEvent.input(input, { target: { value: "24/12/2026" } });
    expect(value).toBe("2026-12-24");

    await fireEvent.input(input, { target: { value: "12/24/2026" } });
    await fireEvent.blur(input);
    expect((await screen.findByTestId("when-problem")).textContent).toContain("jj/mm/aaaa");
    expect(input.validity.valid).toBe(false);
    expect(value).toBe("2026-12-24");
  });

  it("takes the office's order in English and refuses a day before the minimum", async () => {
    setLocale("en");
    setEnglishDateOrder("month_day_year");
    let value = "";
    render(DateField, {
      get value() {
        return value;
      },
      set value(v: string) {
        value = v;
      },
      min: "2026-12-01",
      testid: "when",
    });
    const input = screen.getByTestId("when") as HTMLInputElement;
    expect(input.placeholder).toBe("mm/dd/yyyy");
    await fireEvent.input(input, { target: { value: "12/24/2026" } });
    expect(value).toBe("2026-12-24");
    await fireEvent.input(input, { target: { value: "11/30/2026" } });
    await fireEvent.blur(input);
    expect((await screen.findByTestId("when-problem")).textContent).toContain("Too early");
    expect(value).toBe("2026-12-24");
  });
});
