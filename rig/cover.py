#!/usr/bin/env python3
"""Turn a format-patch cover letter back into a branch description.

format-patch --cover-from-description=subject makes the first paragraph of
the description the subject and the rest the body, then appends the
shortlog, diffstat and base-commit. This undoes that, so that
tree -> series -> tree is lossless.
"""
import email
import re
import sys

SHORTLOG_AUTHOR = re.compile(r"^\S.* \(\d+\):$")


def description(text):
    msg = email.message_from_string(text)
    subject = " ".join(msg["Subject"].split())
    subject = re.sub(r"^\[PATCH[^\]]*\]\s*", "", subject)
    body = msg.get_payload()
    lines = body.split("\n")
    end = len(lines)
    for i, line in enumerate(lines):
        if SHORTLOG_AUTHOR.match(line):
            end = i
            break
    text = "\n".join(lines[:end]).strip("\n")
    return subject + ("\n\n" + text if text else "") + "\n"


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        sys.stdout.write(description(f.read()))


if __name__ == "__main__":
    main()
