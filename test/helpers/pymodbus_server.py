"""A Modbus server written with Debian's python3-pymodbus (3.0), an independent peer for interoperability tests.

usage: /usr/bin/python3 pymodbus_server.py tcp <port> <spec.json>
       /usr/bin/python3 pymodbus_server.py rtu <device> <spec.json>
spec.json: {"units": {"1": {"holding": {"1000": 17254, ...}, "input": {...}}}}  (wire addresses, 16-bit words)
"""
import json
import logging
import sys

from pymodbus.datastore import ModbusServerContext, ModbusSlaveContext, ModbusSparseDataBlock
from pymodbus.server import StartSerialServer, StartTcpServer
from pymodbus.transaction import ModbusRtuFramer

logging.basicConfig(level=logging.WARNING)
mode, where, spec_file = sys.argv[1], sys.argv[2], sys.argv[3]
with open(spec_file, encoding="utf-8") as f:
    spec = json.load(f)


def block(words):
    # A sparse block holds exactly these addresses: a read of anything else gets exception 2.
    return ModbusSparseDataBlock({int(address): value for address, value in words.items()} or {65535: 0})


slaves = {}
for unit, tables in spec["units"].items():
    # zero_mode=True: the wire address is the data block address (pymodbus adds 1 otherwise).
    slaves[int(unit)] = ModbusSlaveContext(
        hr=block(tables.get("holding", {})), ir=block(tables.get("input", {})), zero_mode=True
    )
context = ModbusServerContext(slaves=slaves, single=False)
print("READY", flush=True)
if mode == "tcp":
    StartTcpServer(context=context, address=("127.0.0.1", int(where)))
else:
    StartSerialServer(context=context, framer=ModbusRtuFramer, port=where, baudrate=9600, timeout=0.005)
