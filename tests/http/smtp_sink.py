"""A real SMTP server on the loopback for the mail tests (Debian's
python3-aiosmtpd): every message it accepts is written to DIR as
msg-N.eml (whole, headers and body, as it came). While a file DIR/refuse
exists it answers every recipient with 451, as a relay that is down for a
while does, so the sender must retry.

usage: smtp_sink.py PORT DIR
"""
import os
import signal
import sys
import time

from aiosmtpd.controller import Controller


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
        self.n += 1
        tmp = os.path.join(self.folder, "tmp-%d" % self.n)
        with open(tmp, "wb") as f:
            f.write(("X-Envelope-To: %s\r\n" % ",".join(envelope.rcpt_tos)).encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(self.folder, "msg-%d.eml" % self.n))
        return "250 Message accepted"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    ctl = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    ctl.start()
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    while not stop:
        time.sleep(0.1)
    ctl.stop()


if __name__ == "__main__":
    main()
