// A compiled payload: literal chunks of text and the value slots between them. The firmware's
// payload writer walks the same structure (firmware/include/ampx_site_types.h PayloadProgram).
import type { IntervalAggregate, QuantityName } from "../../model.js";
import type { AggregateField, SlotFormat, SlotOpName, TimeRepr } from "../enums.js";

/** Where a slot's value comes from. */
export type SlotValueSpec =
  | {
      source: "aggregate";
      /** Row of the decode table (SiteConfig::quantities). */
      quantity: number;
      meterId: string;
      quantityName: QuantityName;
      field: AggregateField;
    }
  | {
      /** The latest value of an identity quantity (e.g. serial_number) as text. */
      source: "identity";
      quantity: number;
      meterId: string;
      quantityName: QuantityName;
    }
  | { source: "intervalStart" | "intervalEnd"; time: Exclude<TimeRepr, "none"> };

export interface SlotOp {
  op: Exclude<SlotOpName, "none">;
  operand: number;
}

export interface PayloadSlot {
  value: SlotValueSpec;
  /** Arithmetic on numeric values, in order (at most one: the C++ slot holds one). */
  ops: SlotOp[];
  format: SlotFormat;
}

/** One request body: chunks[0] slot[0] chunks[1] … slot[n-1] chunks[n]. */
export interface PayloadProgram {
  /** Meter index in meter mode; null for the site-mode program. */
  meter: number | null;
  meterId: string | null;
  chunks: string[];
  slots: PayloadSlot[];
  /** Upper bound of the body length in bytes (UTF-8). */
  maxLength: number;
}

/** The values of one closed interval, as the firmware holds them when it writes the payloads. */
export interface IntervalValues {
  start: number;
  end: number;
  /** The aggregate of a meter's quantity, or undefined when there is none. */
  aggregate(meterId: string, quantity: QuantityName): IntervalAggregate | undefined;
  /** The latest value read of an identity quantity, or undefined when it has not been read. */
  identity(meterId: string, quantity: QuantityName): string | number | undefined;
}
