#pragma once

#include "log/eventtime.h"
#include "log/wireevent.h"

#include <QByteArray>
#include <QByteArrayView>

// Writes WireEvents as lines for a person at a terminal: the command line's default output.
//
// Text format, one line per event (UTC time):
//   05:30:00.123456 #1 <- text   FIN rsv=000 op=1 mask=- len=5 (7-bit) hdr=81 05  "Hello"
// "<-" incoming, "->" outgoing, "--" local. Peer text goes through the display rule (DisplayText):
// controls, bidi overrides and invisible characters escaped, bytes that are not UTF-8 as \xHH, so
// nothing a peer sends can move the cursor, change colours or reorder what the terminal shows. Long
// payloads are cut with a note of their total length; binary payloads are shown as hex; handshakes
// (and other multi-line texts) are printed as indented lines below the event's line.
class TextFormatter {
public:
    struct Limits {
        qsizetype maxTextChars = 200; // displayed characters of a text payload before cutting
        qsizetype maxHexBytes = 48; // binary bytes shown as hex before cutting
        qsizetype maxBlockBytes = 16 * 1024; // bytes of a handshake, tls or other multi-line block
    };

    void setLimits(const Limits &limits) { m_limits = limits; }
    const Limits &limits() const { return m_limits; }

    // One readable line (more for multi-line events), each ending in '\n'.
    void append(QByteArray &out, const WireEvent &event);
    QByteArray toText(const WireEvent &event)
    {
        QByteArray out;
        append(out, event);
        return out;
    }
private:
    EventTime m_time;
    Limits m_limits;
};
