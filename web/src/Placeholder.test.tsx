import { render, screen } from "@testing-library/react";
import { expect, test } from "vitest";
import { Placeholder } from "./Placeholder";

test("names the contact center", () => {
  render(<Placeholder />);
  expect(screen.getByRole("heading").textContent).toBe("JAM Contact Center");
});
