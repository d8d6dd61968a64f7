// What the simulator's servers report, for logs (ampx simulate --verbose) and tests.

export type SimEvent =
  | {
      type: "request";
      transport: "tcp" | "rtu";
      unitId: number;
      /** Undefined when no meter has this unit id (the request goes unanswered). */
      meterId?: string;
      function: number;
      /** What the meter did: replied, replied with an exception, stayed silent, dropped the connection. */
      outcome: "reply" | "exception" | "silence" | "drop" | "unknown-unit" | "broadcast";
      at: number;
    }
  | { type: "discard"; transport: "tcp" | "rtu"; bytes: number; reason: string; at: number }
  | { type: "connection"; state: "open" | "close"; remote: string; at: number }
  | { type: "error"; message: string; at: number };

export type SimEventListener = (event: SimEvent) => void;
