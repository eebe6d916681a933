import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import { setLocale } from "../i18n/index.svelte";
import PdfPreview from "./PdfPreview.svelte";

// pdf.js itself needs a worker and a real canvas: the document it would read is
// stood in for by one of `pages` pages whose drawing does nothing.
const pages = vi.hoisted(() => ({ count: 3 }));
vi.mock("./pdfjs", () => ({
  getDocument: () => ({
    promise: Promise.resolve({
      numPages: pages.count,
      getPage: async () => ({
        getViewport: ({ scale }: { scale: number }) => ({ width: 200 * scale, height: 120 * scale }),
        render: () => ({ promise: Promise.resolve() }),
      }),
    }),
    destroy: () => {},
  }),
}));

const pdf = new Uint8Array([37, 80, 68, 70]);

describe("PdfPreview", () => {
  beforeEach(() => {
    setLocale("fr");
    pages.count = 3;
  });

  it("counts the document's pages and draws them", async () => {
    render(PdfPreview, { pdf, label: "Aperçu" });
    await waitFor(() => expect(screen.getAllByTestId("pdf-page")).toHaveLength(3));
    expect(screen.getByTestId("pdf-page-count").textContent?.trim()).toBe("3 page(s)");
    expect(screen.getAllByTestId("pdf-page")[2].getAttribute("aria-label")).toBe("Aperçu — 3/3");
  });

  it("says a long run's pages when the PDF holds only its first ones", async () => {
    setLocale("en");
    render(PdfPreview, { pdf, label: "Print", totalPages: 200 });
    await waitFor(() => expect(screen.getAllByTestId("pdf-page")).toHaveLength(3));
    const count = screen.getByTestId("pdf-page-count").textContent?.replace(/\s+/g, " ").trim();
    expect(count).toBe("200 page(s) · first 3 shown");
    expect(screen.getAllByTestId("pdf-page")[0].getAttribute("aria-label")).toBe("Print — 1/200");
  });

  it("draws twelve pages at most", async () => {
    pages.count = 30;
    render(PdfPreview, { pdf, label: "Aperçu" });
    await waitFor(() => expect(screen.getAllByTestId("pdf-page")).toHaveLength(12));
    const count = screen.getByTestId("pdf-page-count").textContent?.replace(/\s+/g, " ").trim();
    expect(count).toBe("30 page(s) · 12 premières affichées");
  });
});
