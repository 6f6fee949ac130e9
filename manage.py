#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    if os.environ.get("DEVSTACK_AUTOSTART", "1") == "1":
        from marketplace import devstack

        try:
            devstack.up()
        except devstack.DevStackError as exc:
            print(f"devstack: {exc}", file=sys.stderr)
            sys.exit(1)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
