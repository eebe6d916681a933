import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import DateField from "./DateField.svelte";
import { setLocale } from "../i18n/index.svelte";
import { setEnglishDateOrder } from "./dates.svelte";

/** Renders a field bound to a value the test reads back. */
function bound(initial: string, props: Record<string, unknown> = {}) {
  const state = { value: initial };
  render(DateField, {
    get value() {
      return state.value;
    },
    set value(v: string) {
      state.value = v;
    },
    testid: "when",
    ...props,
  });
  return { state, input: screen.getByTestId("when") as HTMLInputElement };
}

describe("DateField", () => {
  afterEach(() => {
    setLocale("fr");
    setEnglishDateOrder(undefined);
  });

  it("shows and reads jj/mm/aaaa in French, and names an unreadable date under the field", async () => {
    const { state, input } = bound("2026-03-01");
    expect(input.value).toBe("01/03/2026");
    expect(input.placeholder).toBe("jj/mm/aaaa");

    await fireEvent.input(input, { target: { value: "24/12/2026" } });
    expect(state.value).toBe("2026-12-24");

    await fireEvent.input(input, { target: { value: "12/24/2026" } });
    await fireEvent.blur(input);
    expect((await screen.findByTestId("when-problem")).textContent).toContain("jj/mm/aaaa");
    expect(input.validity.valid).toBe(false);
    expect(state.value).toBe("2026-12-24");
  });

  it("takes the office's order in English and refuses a day before the minimum", async () => {
    setLocale("en");
    setEnglishDateOrder("month_day_year");
    const { state, input } = bound("", { min: "2026-12-01" });
    expect(input.placeholder).toBe("mm/dd/yyyy");
    await fireEvent.input(input, { target: { value: "12/24/2026" } });
    expect(state.value).toBe("2026-12-24");
    await fireEvent.input(input, { target: { value: "11/30/2026" } });
    await fireEvent.blur(input);
    expect((await screen.findByTestId("when-problem")).textContent).toContain("Too early");
    expect(state.value).toBe("2026-12-24");
  });
});
