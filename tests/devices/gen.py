#!/usr/bin/env python3
"""Write the umockdev ioctl scripts of the emulated scanners in this folder.

Boot keyboard reports: HID 1.11 appendix B.1 (modifiers, reserved, 6 usages);
usages from the HID Usage Tables 1.4, page 0x07. HID POS reports: report id 2,
data length, AIM id, data, "more follows" flag (drivers/scanner/scanner.h).
Run it again after changing a code; the outputs are checked in.
"""
US = {c: 0x04 + i for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")}
US.update({c: 0x1E + i for i, c in enumerate("123456789")})
US.update({"0": 0x27, "-": 0x2D, "\n": 0x28, "\t": 0x2B})
DE = dict(US)
DE.update({"y": 0x1D, "z": 0x1C, "-": 0x38})
SHIFT_DE = {"_": 0x38}


def key_reports(text, layout):
    out = []
    for ch in text:
        mod = 0
        if ch in SHIFT_DE and layout is DE:
            mod, u = 0x02, SHIFT_DE[ch]
        elif ch.isupper():
            mod, u = 0x02, layout[ch.lower()]
        else:
            u = layout[ch]
        out.append(bytes([mod, 0, u, 0, 0, 0, 0, 0]))
        out.append(bytes(8))  # release: a doubled character needs it
    return out


# GET_CAPABILITIES, then the control requests the driver sends: SET_PROTOCOL(boot)
# to a boot keyboard (HID 1.11 7.2.6), SET_IDLE(0) to every HID scanner (7.2.4).
CAPS = "USBDEVFS_GET_CAPABILITIES 0 0F000000\n"
SET_PROTOCOL = "USBDEVFS_REAPURBNDELAY 0 2 0 0 0 8 0 0 210B000000000000\n"
SET_IDLE = "USBDEVFS_REAPURBNDELAY 0 2 0 0 0 8 0 0 210A000000000000\n"
HEAD = CAPS + SET_PROTOCOL + SET_IDLE


def urbs(reports, size):
    return "".join("USBDEVFS_REAPURBNDELAY 0 1 129 0 0 %d %d 0 %s\n"
                   % (size, size, r.hex().upper()) for r in reports)


def pos_reports(aim, data, parts):
    out, i = [], 0
    for k, n in enumerate(parts):
        chunk = data[i:i + n]
        i += n
        more = 1 if k < len(parts) - 1 else 0
        r = bytes([2, len(chunk)]) + aim + chunk
        r += bytes(64 - len(r) - 1) + bytes([more])
        out.append(r)
    assert i == len(data)
    return out


# scanner 1, US layout: capitals, digits, repeated characters
us = key_reports("Ab-112233\n", US) + key_reports("RMA-1001\n", US) + key_reports("SN-0077Zz\n", US)
open("kbd-us.ioctl", "w").write(HEAD + urbs(us, 8))
# scanner 2, DE layout: y/z swapped, '-' and '_' where QWERTZ has them
de = key_reports("Yz-99_Zy\n", DE) + key_reports("RMA-1002\n", DE)
open("kbd-de.ioctl", "w").write(HEAD + urbs(de, 8))
# HID POS: a GS1-128 message (GTIN, batch, GS, serial) in three reports
gs1 = b"0109501101530003" + b"10BATCH-42" + b"\x1d" + b"21SERIAL-0001" + b"\x1d" + b"17271231"
pos = pos_reports(b"]C1", gs1, [20, 20, len(gs1) - 40]) + pos_reports(b"]Q1", b"RMA-1003", [8])
open("pos.ioctl", "w").write(CAPS + SET_IDLE + urbs(pos, 64))
