#include "teach/acceptcomputation.h"

#include "protocol/handshake.h"
#include "text/displaytext.h"

#include <QCoreApplication>

namespace {

// Translation context for the steps, notes and verdicts (not a QObject).
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(AcceptComputation)
};

constexpr qsizetype NonceSize = 16; // RFC 6455 §4.1: the key is a base64-encoded 16-byte nonce

QString hexBytes(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes.toByteArray().toHex(' '));
}

QString missing()
{
    return Tr::tr("(missing)");
}

} // namespace

AcceptComputation AcceptComputation::compute(QByteArrayView key, std::optional<QByteArray> receivedAccept)
{
    AcceptComputation c;
    c.m_hasKey = true;
    c.m_key = key.toByteArray();

    const auto decoded = QByteArray::fromBase64Encoding(c.m_key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        c.m_keyProblem = Tr::tr("The key is not valid base64; a server still hashes it as sent.");
    } else {
        c.m_decodedKey = decoded.decoded;
        if (c.m_decodedKey.size() != NonceSize) {
            c.m_keyProblem = Tr::tr("The key decodes to %1 bytes, not the 16 RFC 6455 §4.1 requires; a "
                                    "server may reject it.")
                                 .arg(c.m_decodedKey.size());
        }
    }

    c.m_concatenated = c.m_key + QByteArray(Handshake::Guid);
    c.m_expected = Handshake::acceptFor(c.m_key);
    // acceptFor is the one implementation of the hash; its base64 carries the digest the learner sees.
    c.m_sha1 = QByteArray::fromBase64(c.m_expected);
    c.m_received = std::move(receivedAccept);

    if (!c.m_received) {
        c.m_outcome = Outcome::MissingAccept;
        c.m_verdict = Tr::tr("The response has no Sec-WebSocket-Accept header; expected %1.")
                          .arg(QString::fromLatin1(c.m_expected));
    } else if (*c.m_received == c.m_expected) {
        c.m_outcome = Outcome::Match;
        c.m_verdict = Tr::tr("The server's value matches the expected %1.").arg(QString::fromLatin1(c.m_expected));
    } else {
        c.m_outcome = Outcome::Mismatch;
        c.m_verdict
            = Tr::tr("Expected %1, got %2.").arg(QString::fromLatin1(c.m_expected), DisplayText::line(*c.m_received));
    }
    return c;
}

AcceptComputation AcceptComputation::fromHandshake(const HttpRequest &request, const HttpResponse *response)
{
    const QList<QByteArray> keys = HttpHeaderList::values(request.headers, "Sec-WebSocket-Key");
    AcceptComputation c;
    if (keys.isEmpty()) {
        c.m_outcome = Outcome::NoKey;
        c.m_verdict = Tr::tr("The request has no Sec-WebSocket-Key header, so there is nothing to check.");
        return c;
    }

    std::optional<QByteArray> accept;
    QList<QByteArray> accepts;
    if (response) {
        accepts = HttpHeaderList::values(response->headers, "Sec-WebSocket-Accept");
        if (!accepts.isEmpty())
            accept = accepts.first();
    }

    c = compute(keys.first(), accept);
    if (keys.size() > 1) {
        c.m_keyNote = Tr::tr("The request carries %1 Sec-WebSocket-Key headers; the first is used.").arg(keys.size());
    }

    if (!response) {
        c.m_outcome = Outcome::NoResponse;
        c.m_verdict = Tr::tr("No response arrived, so there is no Sec-WebSocket-Accept to compare with.");
        return c;
    }
    if (accepts.size() > 1) {
        c.m_acceptNote = Tr::tr("The response carries %1 Sec-WebSocket-Accept headers; the first is compared.")
                             .arg(accepts.size());
    }
    if (response->status != 101) {
        if (!c.m_acceptNote.isEmpty())
            c.m_acceptNote += QLatin1Char(' ');
        c.m_acceptNote += Tr::tr("The server answered %1 %2, not 101 Switching Protocols: it did not accept "
                                 "the upgrade.")
                              .arg(QString::number(response->status), DisplayText::line(response->reason));
    }
    return c;
}

QList<AcceptStep> AcceptComputation::steps() const
{
    QList<AcceptStep> steps(5);
    for (int i = 0; i < steps.size(); ++i)
        steps[i].number = i + 1;

    AcceptStep &key = steps[0];
    key.title = Tr::tr("Sec-WebSocket-Key from the request");
    key.explanation = Tr::tr("The client picks 16 random bytes and sends them base64-encoded.");
    AcceptStep &joined = steps[1];
    joined.title = Tr::tr("Key + GUID");
    joined.explanation = Tr::tr("The key exactly as sent, followed by the fixed GUID from RFC 6455.");
    AcceptStep &sha = steps[2];
    sha.title = Tr::tr("SHA-1 of that string");
    sha.explanation = Tr::tr("The 20-byte SHA-1 digest of that string, shown as 40 hex digits.");
    AcceptStep &expected = steps[3];
    expected.title = Tr::tr("Base64 = the expected accept");
    expected.explanation = Tr::tr("The 20 digest bytes (not their hex text) encoded as base64: what the "
                                  "server must send as Sec-WebSocket-Accept.");
    AcceptStep &compare = steps[4];
    compare.title = Tr::tr("Compare with the server's value");
    compare.explanation = Tr::tr("The client may use the connection only if both values are identical.");

    if (!m_hasKey) {
        key.value = missing();
        key.note = m_verdict;
        key.warning = true;
        for (int i = 1; i < 4; ++i)
            steps[i].value = Tr::tr("(not computed)");
        compare.value = m_received ? DisplayText::line(*m_received) : missing();
        compare.note = m_verdict;
        compare.warning = true;
        return steps;
    }

    key.value = DisplayText::line(m_key);
    if (m_keyProblem.isEmpty()) {
        key.note = Tr::tr("Decodes to 16 bytes: %1").arg(hexBytes(m_decodedKey));
    } else {
        key.note = m_keyProblem;
        if (!m_decodedKey.isEmpty())
            key.note += Tr::tr(" Decoded bytes: %1").arg(hexBytes(m_decodedKey));
        key.warning = true;
    }
    if (!m_keyNote.isEmpty()) {
        key.note += QLatin1Char(' ') + m_keyNote;
        key.warning = true;
    }

    joined.value = DisplayText::line(m_concatenated);
    joined.note = Tr::tr("%1 bytes: the %2-character key and the %3-character GUID")
                      .arg(m_concatenated.size())
                      .arg(m_key.size())
                      .arg(qsizetype(sizeof(Handshake::Guid) - 1));
    sha.value = QString::fromLatin1(sha1Hex());
    expected.value = QString::fromLatin1(m_expected);

    if (m_outcome == Outcome::NoResponse)
        compare.value = Tr::tr("(no response)");
    else
        compare.value = m_received ? DisplayText::line(*m_received) : missing();
    compare.note = m_verdict;
    if (!m_acceptNote.isEmpty())
        compare.note += QLatin1Char(' ') + m_acceptNote;
    compare.warning = !passed();
    return steps;
}
