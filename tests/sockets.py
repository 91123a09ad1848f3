"""Which addresses a process listens on, read from /proc (Linux), for the "nothing beyond loopback" rule."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

LISTEN = "0A"  # TCP state in /proc/net/tcp*


def _address(hex_address: str) -> str:
    """/proc/net/tcp's ``0100007F:1F90`` → ``127.0.0.1:8080`` (IPv6 in four little-endian words)."""
    host, port = hex_address.split(":")
    raw = bytes.fromhex(host)
    if len(raw) == 4:
        ip = ipaddress.IPv4Address(raw[::-1])
    else:
        ip = ipaddress.IPv6Address(b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4)))
        ip = ip.ipv4_mapped or ip
    return f"{ip}:{int(port, 16)}" if ip.version == 4 else f"[{ip}]:{int(port, 16)}"


def listening(pids: list[int]) -> list[tuple[int, str]]:
    """(pid, address:port) of every TCP socket these processes listen on."""
    inodes: dict[str, int] = {}
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes[target[8:-1]] = pid
        except OSError:
            continue  # gone meanwhile
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == LISTEN and fields[9] in inodes:
                found.append((inodes[fields[9]], _address(fields[1])))
    return sorted(found)


def off_loopback(pids: list[int]) -> list[tuple[int, str]]:
    return [(pid, address) for pid, address in listening(pids)
            if not ipaddress.ip_address(address.rsplit(":", 1)[0].strip("[]")).is_loopback]


def processes_mentioning(text: str) -> list[int]:
    """Pids whose command line contains ``text`` (a var dir: the stack's own servers)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if text.encode() in (proc / "cmdline").read_bytes():
                    pids.append(int(proc.name))
            except OSError:
                continue
    return pids
