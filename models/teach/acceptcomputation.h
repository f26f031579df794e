#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <optional>

struct HttpRequest;
struct HttpResponse;

// One step of the Sec-WebSocket-Accept computation, ready to show to a learner. `value` is plain
// text shown through DisplayText, so peer data can never hide in it.
struct AcceptStep {
    int number = 0; // 1..5
    QString title; // "Sec-WebSocket-Key from the request"
    QString explanation; // what the step does, one sentence
    QString value; // what the step produces
    QString note; // extra facts ("16 bytes: 74 68 65 ...") or a warning; may be empty
    bool warning = false; // `note` describes something wrong
};

// The RFC 6455 §4.2.2 computation a client repeats to check the server: key + GUID -> SHA-1 ->
// base64, compared byte for byte with the response's Sec-WebSocket-Accept.
class AcceptComputation {
public:
    enum class Outcome {
        Match, // the server sent the expected value
        Mismatch, // it sent another value
        MissingAccept, // the response has no Sec-WebSocket-Accept header
        NoResponse, // nothing to compare with: no response arrived
        NoKey, // the request has no Sec-WebSocket-Key, so nothing can be computed
    };

    // `receivedAccept` unset: the response had no Sec-WebSocket-Accept header.
    static AcceptComputation compute(QByteArrayView key, std::optional<QByteArray> receivedAccept);
    // From parsed messages; `response` null when no response arrived. Uses the first header of each
    // name and notes when there are more.
    static AcceptComputation fromHandshake(const HttpRequest &request, const HttpResponse *response);

    bool hasKey() const { return m_hasKey; }
    QByteArray key() const { return m_key; }
    QByteArray decodedKey() const { return m_decodedKey; } // empty when the key is not valid base64
    QString keyProblem() const { return m_keyProblem; } // empty when the key decodes to 16 bytes
    QByteArray concatenated() const { return m_concatenated; } // key + GUID
    QByteArray sha1() const { return m_sha1; } // 20 bytes
    QByteArray sha1Hex() const { return m_sha1.toHex(); } // 40 lowercase hex digits
    QByteArray expectedAccept() const { return m_expected; }
    std::optional<QByteArray> receivedAccept() const { return m_received; }

    Outcome outcome() const { return m_outcome; }
    bool passed() const { return m_outcome == Outcome::Match; }
    // "The server's value matches." / "Expected s3pP..., got abc=." / "The response has no ..."
    QString verdict() const { return m_verdict; }

    // Steps 1-5: key, key + GUID, SHA-1, base64 (expected accept), comparison.
    QList<AcceptStep> steps() const;

private:
    bool m_hasKey = false;
    QByteArray m_key;
    QByteArray m_decodedKey;
    QString m_keyProblem;
    QByteArray m_concatenated;
    QByteArray m_sha1;
    QByteArray m_expected;
    std::optional<QByteArray> m_received;
    Outcome m_outcome = Outcome::NoKey;
    QString m_verdict;
    QString m_keyNote; // extra facts about the request's key header (repeated)
    QString m_acceptNote; // extra facts about the response's accept header (repeated, status)
};

