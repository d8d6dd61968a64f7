// serialport reports open failures as plain Errors with the OS text in the message; map them to typed errors.
import type { TransportError } from "./errors/index.js";
import {
  ConnectionLostError,
  PermissionDeniedError,
  PortBusyError,
  PortNotFoundError,
} from "./errors/index.js";

export function serialOpenError(path: string, error: unknown): TransportError {
  const text = error instanceof Error ? error.message : String(error);
  if (/No such file or directory|ENOENT/i.test(text)) {
    return new PortNotFoundError(
      `serial port ${path} does not exist (check the device path and that the adapter is plugged in)`,
    );
  }
  if (/Permission denied|EACCES|EPERM/i.test(text)) {
    return new PermissionDeniedError(
      `no permission to open serial port ${path} (add the user to the dialout group)`,
    );
  }
  if (/Cannot lock port|Resource temporarily unavailable|EBUSY|EAGAIN/i.test(text)) {
    return new PortBusyError(`serial port ${path} is in use by another process`);
  }
  if (/Inappropriate ioctl/i.test(text)) {
    return new PortNotFoundError(`${path} is not a serial port`);
  }
  return new ConnectionLostError(`cannot open serial port ${path}: ${text.replace(/^Error:?\s*/, "")}`);
}
