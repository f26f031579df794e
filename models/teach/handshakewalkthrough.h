#pragma once

// The opening handshake of one connection as steps a newcomer can follow, built from that
// connection's own bytes: the client connects and sends a GET, what each header it sent means, how
// the server computes Sec-WebSocket-Accept (with the live key), the status line and the response
// headers (or what came instead of 101, and what that means), and that frames follow, not HTTP.
// Every step names the exact bytes it is about, so a view can select them in the handshake pane.

#include "teach/acceptcomputation.h"
#include "protocol/handshake.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>
#include <QtGlobal>

// A run of bytes in the recorded request or response: one line (start line or header) without its
// line ending, a folded header with its continuation lines, or the body of a non-101 response.
struct HandshakeSpan {
    bool inResponse = false;
    qsizetype offset = 0;
    qsizetype length = 0;
    QString text; // the bytes as one line of plain text (DisplayText: nothing hidden or reordered)

    friend bool operator==(const HandshakeSpan &, const HandshakeSpan &) = default;
};

struct WalkthroughStep {
    enum class Kind : quint8 {
        Connect, // TCP (and TLS for wss://), then the request line
        RequestHeader, // one WebSocket header of the request; every line of it when repeated
        MissingRequestHeader, // a header the handshake needs is absent
        OtherRequestHeaders, // the headers WebSocket does not define: cookies, auth, user agent ...
        ComputeAccept, // key + GUID -> SHA-1 -> base64, checked against the response
        Status, // the status line: 101, what came instead, or that nothing came
        ResponseHeader, // one WebSocket header of the response
        MissingResponseHeader, // a header a 101 needs is absent, or an offer the server did not take up
        OtherResponseHeaders,
        Frames, // from here on: frames, not HTTP (or why there will be none)
    };
    // The five stages a newcomer follows; several steps may share one (one per header).
    enum class Stage : quint8 { Request = 1, RequestHeaders, Accept, Response, Frames };

    Kind kind = Kind::Connect;
    Stage stage = Stage::Request;
    QString headerName; // header steps: the name as the walkthrough spells it ("Sec-WebSocket-Key")
    QString title;
    QString explanation; // plain sentences, live values through DisplayText
    QStringList details; // computed values, one per line ("SHA-1: b37a4f2c...")
    QString inBrowser; // what a browser script writes or sees at this point; may be empty
    QList<HandshakeSpan> spans; // the bytes the step is about, in wire order; may be empty
    QStringList topics; // Glossary topic ids for "learn more", most relevant first
    bool warning = false; // the step describes something wrong or refused
};

class HandshakeWalkthrough {
public:
    // How the connection was carried, when the caller knows it (the request bytes do not say).
    enum class Transport : quint8 { Unknown, Tcp, Tls };

    HandshakeWalkthrough() = default;
    // `response` empty: no response arrived. A response is taken as recorded: a head cut short,
    // or bytes that are not HTTP, are explained as such.
    HandshakeWalkthrough(QByteArrayView request, QByteArrayView response, Transport transport = Transport::Unknown);

    const QList<WalkthroughStep> &steps() const { return m_steps; }
    bool isEmpty() const { return m_steps.isEmpty(); }

    bool requestParsed() const { return m_requestParsed; }
    bool responseParsed() const { return m_responseParsed; }
    int status() const { return m_status; } // 0 without a parsed response
    // 101 with every check passed: the connection carries frames now.
    bool upgraded() const { return m_upgraded; }
    const AcceptComputation &accept() const { return m_accept; }

    // "Request", "Headers", "Accept", "Response", "Frames"
    static QString stageName(WalkthroughStep::Stage stage);

private:
    struct Line {
        qsizetype offset = 0;
        qsizetype length = 0; // without CR LF / LF
    };
    struct HeaderLines {
        HttpHeader header;
        HandshakeSpan span;
    };

    void addConnect(QByteArrayView request);
    void addRequestHeaders();
    void addAccept();
    void addStatus(QByteArrayView response);
    void addResponseHeaders();
    void addFrames();

    static QList<Line> headLines(QByteArrayView bytes, qsizetype *headSize);
    static QList<HeaderLines> matchHeaders(
        QByteArrayView bytes, const QList<Line> &lines, const HttpHeaders &headers, bool inResponse);
    static HandshakeSpan span(QByteArrayView bytes, qsizetype offset, qsizetype length, bool inResponse);
    QList<HandshakeSpan> spansOf(const QList<HeaderLines> &lines, QByteArrayView name) const;
    // One side's headers as the steps show them: each WebSocket header once, in the order of its first
    // line, and the rest gathered for one "other headers" step.
    struct GroupedHeaders {
        QList<const char *> known; // canonical names
        QList<HandshakeSpan> otherSpans;
        QStringList otherNames;
    };
    static GroupedHeaders groupHeaders(const QList<HeaderLines> &lines, const QList<const char *> &knownNames);
    // What every header step has: kind, stage, name, its lines' spans, topic, "Name: first value".
    WalkthroughStep headerStep(WalkthroughStep::Kind kind, WalkthroughStep::Stage stage, const char *name,
        const QList<HeaderLines> &lines, const HttpHeaders &headers) const;

    QList<WalkthroughStep> m_steps;
    Transport m_transport = Transport::Unknown;

    HttpRequest m_request;
    bool m_hasRequest = false;
    bool m_requestParsed = false;
    QString m_requestError;
    HandshakeSpan m_requestLine;
    QList<HeaderLines> m_requestHeaders;

    HttpResponse m_response;
    bool m_hasResponse = false;
    bool m_responseParsed = false;
    QString m_responseError;
    HandshakeSpan m_statusLine;
    QList<HeaderLines> m_responseHeaders;
    int m_status = 0;
    bool m_upgraded = false;
    HandshakeCheck m_check;

    AcceptComputation m_accept;
};
