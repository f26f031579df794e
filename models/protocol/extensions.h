#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

// Sec-WebSocket-Extensions (RFC 6455 §9.1, in the grammar of RFC 7230 §3.2.6 and §7): a
// comma-separated list of extensions, each a token with ';'-separated parameters, each parameter a
// token with an optional value that is a token or a quoted-string. Several header lines make one
// list. Anything malformed is an error, never a shorter list: a parser that drops what it cannot
// read lets a server slip in an extension the client never offered.

struct ExtensionParameter {
    QByteArray name;
    std::optional<QByteArray> value; // unescaped when it was a quoted-string
    bool operator==(const ExtensionParameter &) const = default;
};

struct Extension {
    QByteArray name;
    QList<ExtensionParameter> parameters;
    bool operator==(const Extension &) const = default;

    // The parameter `name` (case-insensitive), or nullptr.
    const ExtensionParameter *parameter(QByteArrayView name) const;
    // "permessage-deflate; client_max_window_bits=10"
    QByteArray text() const;
};

namespace Extensions {

struct Parsed {
    QList<Extension> list;
    QString error; // "unclosed quoted-string at byte 31", ...; empty when the header is well-formed
    bool ok() const { return error.isEmpty(); }
};

Parsed parse(QByteArrayView headerValue);
Parsed parse(const QList<QByteArray> &headerValues); // one list from several header lines
QByteArray format(const QList<Extension> &extensions); // "a, b; x=1"

} // namespace Extensions

// permessage-deflate (RFC 7692): what a client offers and what it accepts back.
namespace PerMessageDeflate {

inline constexpr char Name[] = "permessage-deflate";

// A client's offer (RFC 7692 §7.1). Browsers send "permessage-deflate; client_max_window_bits".
struct Offer {
    bool serverNoContextTakeover = false;
    bool clientNoContextTakeover = false;
    std::optional<int> serverMaxWindowBits; // 8..15 when asked for
    bool clientMaxWindowBits = true; // "client_max_window_bits" sent: the server may limit our window
    std::optional<int> clientMaxWindowBitsValue; // 8..15: our own window, announced

    Extension extension() const;
    // From the parameters a user typed ("client_max_window_bits; server_no_context_takeover"),
    // checked as a server would; nullopt and `error` when they are not a valid offer.
    static std::optional<Offer> fromParameters(QByteArrayView text, QString *error);
    // The same checks on an offer already parsed (one read back from a captured request).
    static std::optional<Offer> fromExtension(const Extension &offered, QString *error);
};

// What both sides agreed on, from the server's response.
struct Agreement {
    bool serverNoContextTakeover = false; // the server resets its window for every message
    bool clientNoContextTakeover = false; // we reset ours
    int serverMaxWindowBits = 15; // the server compresses with at most this window
    int clientMaxWindowBits = 15; // we compress with at most this window
};

// Checks the server's accepted permessage-deflate (RFC 7692 §7.1.1, §7.1.2) against the offer:
// parameters known, each at most once, values as the grammar says (no value, or 8..15 without
// leading zeros), client_max_window_bits only when offered and never above the offered value.
// nullopt and a precise `error` otherwise: the client must fail the connection.
std::optional<Agreement> accept(const Extension &response, const Offer &offer, QString *error);

// The server's side (RFC 7692 §5): the first of the client's offers (Sec-WebSocket-Extensions, in
// its order of preference) that is valid and can be honoured, answered with the parameters the
// server must echo. A server_max_window_bits of 8 is declined: zlib writes raw deflate streams with
// windows of 9 bits or more. `declined` lists why each offer before it was passed over.
struct Answer {
    Extension response; // for the 101's Sec-WebSocket-Extensions
    Agreement agreement;
};
std::optional<Answer> answer(const QList<Extension> &offers, QStringList *declined = nullptr);

// What a server may ask of the client in its answer, beyond what the client offered: to reset its
// window for every message (client_no_context_takeover, allowed whether offered or not, RFC 7692
// §7.1.1.2) and to compress with a smaller window (client_max_window_bits=N, only in answer to an
// offer that has client_max_window_bits, §7.1.2.2). Conformance cases 13.x test clients with these.
struct ClientRequest {
    bool noContextTakeover = false;
    std::optional<int> maxWindowBits; // 8..15
};
// answer(), asking the first of `requests` that some offer allows: each request is tried against
// every offer in turn, as a server with preferences would. Empty `requests`: answer(offers).
std::optional<Answer> answer(const QList<Extension> &offers, const QList<ClientRequest> &requests,
                             QStringList *declined = nullptr);

} // namespace PerMessageDeflate
