"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1:PORT, each
message accepted written to DIR as one .json file (written whole, then
renamed) before the 250 is answered, so a message the client saw accepted
is on disk: its envelope recipients, Message-ID, subject, text and the
attachments' names and sizes, decoded by Python's email package. Prints
"ready" once listening. Usage: smtp_sink.py PORT DIR"""

import email
import email.policy
import json
import os
import sys
import time
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain",))
        attachments = [
            {"name": part.get_filename(), "type": part.get_content_type(), "size": len(part.get_content())}
            for part in msg.iter_attachments()
        ]
        record = {
            "to": envelope.rcpt_tos,
            "from": envelope.mail_from,
            "message_id": msg["Message-ID"],
            "subject": msg["Subject"],
            "text": body.get_content() if body is not None else "",
            "attachments": attachments,
        }
        name = uuid.uuid4().hex
        tmp = os.path.join(self.folder, name + ".tmp")
        with open(tmp, "w") as f:
            json.dump(record, f)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, os.path.join(self.folder, name + ".json"))
        return "250 OK stored"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
