"""A real SMTP server on the loopback for the mail tests (Debian's
python3-aiosmtpd): every message it accepts is written to DIR as
msg-N.eml (whole, headers and body, as it came).

Files in DIR steer it, as a relay that misbehaves would:
- refuse: every recipient is answered 451, so the sender must retry;
- refuse-data: the message, whole with its final dot, is answered 451 and
  not kept (a relay refusing it after the end);
- stall-ehlo, stall-data, stall-accept: while the file exists the server
  waits at that point, and says so with a file at-POINT:
    ehlo   before the mail's transaction (after the connection),
    data   at DATA, before its 354: the body has not been asked for, so
           the final dot cannot have been sent,
    accept after the final dot, with the message kept, before the 250.
  A test kills the sender there and counts what was kept.

usage: smtp_sink.py PORT DIR
"""
import asyncio
import os
import signal
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, syntax


async def stall(folder, point):
    flag = os.path.join(folder, "stall-" + point)
    if not os.path.exists(flag):
        return
    open(os.path.join(folder, "at-" + point), "w").close()
    while os.path.exists(flag):
        await asyncio.sleep(0.05)


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if os.path.exists(os.path.join(self.folder, "refuse")):
            with open(os.path.join(self.folder, "refused"), "a") as f:
                f.write(address + "\n")
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(self.folder, "refuse-data")):
            with open(os.path.join(self.folder, "refused-data"), "a") as f:
                f.write("1\n")
            return "451 4.3.0 try again later"
        self.n += 1
        tmp = os.path.join(self.folder, "tmp-%d" % self.n)
        with open(tmp, "wb") as f:
            f.write(("X-Envelope-To: %s\r\n" % ",".join(envelope.rcpt_tos)).encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(self.folder, "msg-%d.eml" % self.n))
        await stall(self.folder, "accept")
        return "250 Message accepted"


class StallingSMTP(SMTP):
    def __init__(self, handler, folder, **kw):
        self.folder = folder
        super().__init__(handler, **kw)

    @syntax("EHLO hostname")
    async def smtp_EHLO(self, hostname):
        await stall(self.folder, "ehlo")
        return await super().smtp_EHLO(hostname)

    @syntax("DATA")
    async def smtp_DATA(self, arg):
        await stall(self.folder, "data")
        return await super().smtp_DATA(arg)


class StallingController(Controller):
    def __init__(self, handler, folder, **kw):
        self.folder = folder
        super().__init__(handler, **kw)

    def factory(self):
        return StallingSMTP(self.handler, self.folder, **self.SMTP_kwargs)


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    ctl = StallingController(Sink(folder), folder, hostname="127.0.0.1", port=port)
    ctl.start()
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    while not stop:
        time.sleep(0.1)
    ctl.stop()


if __name__ == "__main__":
    main()
