import React, { useState } from "react";
import type { Props } from "./types";
import { type A, type B } from "./ab";
export { Button } from "@/components/ui/button";
export * from "./all";
const lazy = import("./lazy");
const fs = require("node:fs");
// import { fake } from "./in-a-comment";
const s = "import { fake } from './in-a-string'";

interface DialogProps {
  onClose: () => void;
  render(x: number): string;
}

export const double = (n: number): number =>
  n > 1 ? n * 2 : n;

export function Dialog({ onClose }: DialogProps) {
  const [open, setOpen] = useState(false);
  if (!open && onClose) {
    return null;
  }
  return (
    <div style={{ color: "#0969da", padding: 8 }} className="dialog">
      {/* <button>not an element</button> */}
      <button
        type="submit"
        onClick={() => setOpen(false)}
        disabled
      >
        Close
      </button>
      <Dialog.Footer {...rest} />
    </div>
  );
}

class Service {
  @Get(":id")
  find(id?: string) {
    return id ?? "none";
  }
}
