"""`kawaltps message --from PHONE TEXT [--json]`: feed one message through the channels' parser and print the reply."""

import sys

from kawaltps.core.commands import JsonCommand
from kawaltps.messaging.models import Channel
from kawaltps.messaging.services import handle


class Command(JsonCommand):
    help = ("Feed one text message through the same parser and rules as the WhatsApp, Telegram and SMS "
            "webhooks (sender identified by the registered phone) and print the reply. The message is kept "
            "like any other; repeating --id replays the stored reply.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--from", dest="sender", required=True, help="the sender's phone number (08…, +62…)")
        parser.add_argument("text", nargs="+", help="the message text, e.g. HASIL 120 30 150 SAH=300")
        parser.add_argument("--id", dest="message_id", default=None,
                            help="the message id (default: a new one per run); a repeated id is one message")
        parser.add_argument("--channel", choices=[c.value for c in Channel], default=Channel.CLI,
                            help="which channel to record the message under (default cli)")

    def handle(self, *args, sender, text, message_id, channel, **opts):
        reply = handle(channel, sender, " ".join(text), message_id)
        self.emit(reply.as_dict(), reply.text)
        if reply.status != "ok":
            sys.exit(2)
