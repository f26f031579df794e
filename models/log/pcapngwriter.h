#pragma once

#include "log/sessionfile.h"
#include "log/wireevent.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

class Capture;
class QIODevice;

// Writes a capture as a pcapng file that Wireshark's WebSocket dissector reads frame by frame.
//
// Each connection, and each leg of a relay separately, becomes one TCP stream over raw IPv4 or IPv6
// (LINKTYPE_RAW, one interface): SYN, SYN-ACK, ACK at its first event; then the handshake request,
// the response and every frame (its header bytes, and its payload masked again with the header's key
// when MASK is set; compressed frames as sent), each as TCP segments from the side that sent it with
// its event's time (µs), split at the largest IP packet (65,495 bytes of TCP payload over IPv4,
// 65,515 over IPv6); FIN from the server, FIN from the client and the last ACK at its last event
// when the connection closed. Sequence and acknowledgement numbers follow the bytes, checksums are
// right, the output is the same for the same capture.
//
// A relay records each frame once, on the leg where it arrived, and forwards it byte for byte: a
// leg's stream also carries the other leg's incoming frames, at their time plus the relay's delay,
// except the messages its intercept edited, dropped or never delivered (what it wrote instead is an
// outgoing frame of that leg). A held message goes out at the time it was forwarded.
//
// What is not on the wire (state changes, violations, errors, TLS details, Qt API calls, intercept
// notes) becomes a packet comment on the packet of its stream nearest in time, the later one when
// two are as near: a violation is recorded just before its frame and lands on it, CLOSED on the FIN,
// an intercept note on the message it is about. Leaving them out would lose why a connection
// ended; making packets of them would show bytes that never crossed. A frame whose payload the
// memory budget dropped is written with zeros and a comment that says so. A stream with no byte
// on the wire (a connection refused) is not written; the file's comment names it.
//
// Addresses and ports (streams()): the server's host and port come from the handshake's Host
// header, with the session header's URL for a missing port and for a stream without a request; a
// host name (not an address) gets 198.51.100.N (then 203.0.113.N), documentation addresses
// (RFC 5737), and a Name Resolution Block entry with the name; "localhost" is 127.0.0.1. The
// client's address and port are known where the inspector was the server: a relay's application
// leg ("application 127.0.0.1:55126 connected") and an embedded server's client ("client
// 127.0.0.1:5555 connected"). Where the inspector was the client, neither the engines nor the
// capture record its local address or port: it is 127.0.0.1 (or ::1) toward a loopback server,
// 192.0.2.1 (or 2001:db8::1) otherwise, port 40000 + connection id (another if that 4-tuple is
// taken). The file's comment says this, and each SYN's comment says which parts of its stream's
// addresses are real.
//
// wss:// connections (TLS details recorded on the stream, or the session URL's scheme) are written
// as their decrypted bytes on their real port, with a comment. tshark 4.0 finds the HTTP upgrade by
// itself on 443 (its HTTP heuristic, with a warning that HTTP crossed a TLS port) and on unusual
// ports, but a port another dissector claims, or a Wireshark with that heuristic off, needs to be
// told: `tshark -r FILE -d tcp.port==443,http` for each server port (tsharkDecodeArguments()), or
// in Wireshark Analyze > Decode As… (TCP port → HTTP). The file's comment gives the command.
class PcapngWriter {
    Q_DECLARE_TR_FUNCTIONS(PcapngWriter)
public:
    // Writes the whole capture to `out` (open for writing). False, with `error` set, when a write
    // fails. Into a file: CaptureFiles::save().
    static bool write(const Capture &capture, const SessionHeader &header, QIODevice *out, QString *error);

    // One TCP stream of the file: a connection, or one leg of a relay.
    struct Stream {
        quint32 connectionId = 0;
        Leg leg = Leg::None;
        bool inspectorIsClient = true; // who sent the handshake request
        QHostAddress clientAddress, serverAddress;
        quint16 clientPort = 0, serverPort = 0;
        bool clientAddressKnown = false, clientPortKnown = false; // false: made up (see above)
        bool serverAddressKnown = false, serverPortKnown = false;
        QString serverName; // the host name the server address stands for; empty for an address
        bool tls = false; // wss://: written decrypted
        bool closed = false; // the connection ended in the capture: the stream ends with FIN
        bool onWire = false; // has bytes to write (handshake or frames)
    };
    // The streams of the file in the order of their first event, with their addresses and ports.
    static QList<Stream> streams(const Capture &capture, const SessionHeader &header);
    // {"-d", "tcp.port==443,http", ...}: every server port of the file, so that tshark decodes the
    // streams as HTTP and then WebSocket whatever their port.
    static QStringList tsharkDecodeArguments(const QList<Stream> &streams);
};
