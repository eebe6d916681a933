import { describe, expect, it } from "vitest";
import { nextSort, queueQuery } from "./query";

describe("queue queries", () => {
  it("flips the direction on the same column and starts ascending on another", () => {
    expect(nextSort({ field: "submitted", direction: "desc" }, "submitted")).toEqual({
      field: "submitted",
      direction: "asc",
    });
    expect(nextSort({ field: "submitted", direction: "desc" }, "holder_name")).toEqual({
      field: "holder_name",
      direction: "asc",
    });
  });
  it("leaves empty filters out of the query", () => {
    const q = queueQuery({ filters: { kind: "", zone: "  ", category: "", expiringBefore: "" } });
    expect([q.kinds, q.zone, q.categories, q.badgeExpiringBefore]).toEqual([[], null, [], null]);
  });
});
