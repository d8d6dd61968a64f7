// The hardware the generated PlatformIO project targets, in one place: an ESP32-WROOM-32U board
// with a MAX485 transceiver (as the existing AmpX gateway wires it) or a W5500 Lite module, and the
// pinned versions of the platform and libraries the ESP32 layer uses. Versions are exact so that a
// build today and a build next year use the same code.

/** MAX485 on UART2; DE and /RE tied to one GPIO, as the existing AmpX gateway (MAX485_DE 4, RX 16, TX 17). */
export const RS485_PINS = { uart: 2, rx: 16, tx: 17, deRe: 4 } as const;

/** W5500 Lite on the VSPI bus (the ESP32 default SPI pins), CS on GPIO 5 as the existing gateway. */
export const W5500_PINS = { sck: 18, miso: 19, mosi: 23, cs: 5, rst: 33, int: 34 } as const;

export const PLATFORMIO = {
  /** PlatformIO's espressif32 platform: Arduino-ESP32 2.0.17 on ESP-IDF 4.4.7. */
  platform: "platformio/espressif32 @ 6.9.0",
  board: "esp32dev",
  framework: "arduino",
  nativePlatform: "platformio/native @ 1.2.1",
  /** Only what the ESP32 platform layer needs. */
  libDeps: {
    common: ["ESP32Async/AsyncTCP @ 3.4.10", "ESP32Async/ESPAsyncWebServer @ 3.10.0"],
    w5500: ["arduino-libraries/Ethernet @ 2.0.2"],
  },
} as const;

/** Arduino-ESP32 serial config name (SERIAL_8N1 …) for a site's RTU settings. */
export function serialConfig(dataBits: number, parity: "none" | "even" | "odd", stopBits: number): string {
  return `SERIAL_${dataBits}${parity === "none" ? "N" : parity === "even" ? "E" : "O"}${stopBits}`;
}
