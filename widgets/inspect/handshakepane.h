#pragma once

#include "teach/acceptcomputation.h"
#include "protocol/handshake.h"
#include "protocol/relayhandshake.h"

#include <QByteArray>
#include <QList>
#include <QWidget>
#include <optional>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSplitter;
class QTableWidget;

// One connection's opening handshake: the exact request and response bytes, their headers as
// tables, the Sec-WebSocket-Accept computation step by step with a PASS/FAIL verdict, and the
// extensions offered, answered and agreed (permessage-deflate parameter by parameter).
// Everything from the peer is shown as plain text with control characters escaped.
class HandshakePane : public QWidget {
    Q_OBJECT
public:
    explicit HandshakePane(QWidget *parent = nullptr);

    // Either may be empty: no request recorded, or no response (connection refused, timed out).
    void setHandshake(const QByteArray &requestBytes, const QByteArray &responseBytes);
    // A relayed connection: one handshake per leg, a choice between them (the application's first)
    // and what the relay changed in the request it passed on.
    void setRelayHandshakes(const RelayHandshake::Handshakes &handshakes);
    enum class RelaySide { Application, Server };
    void showRelaySide(RelaySide side);
    // What the relay bar says it changed; empty when no relay is shown.
    QString relayChangesText() const;
    void clear();

    const AcceptComputation &acceptComputation() const { return m_accept; }

    // Selects bytes [offset, offset + length) of the request or the response in its raw view (the
    // walk-through points at the header lines it explains). Offsets count bytes, not characters.
    void highlightBytes(bool inResponse, qsizetype offset, qsizetype length);
    // The raw view's selected text, for tests.
    QString highlightedText(bool inResponse) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Side {
        QGroupBox *box = nullptr; // titled with the byte count
        QSplitter *splitter = nullptr; // raw bytes above the headers (and the body, for the response)
        QLabel *summary = nullptr; // request line / status line, or why there is none
        QPlainTextEdit *raw = nullptr;
        QLabel *headersTitle = nullptr;
        QTableWidget *headers = nullptr;
        bool problem = false; // the summary reports something wrong
    };
    struct StepRow {
        QLabel *title = nullptr;
        QLabel *explanation = nullptr;
        QLineEdit *value = nullptr;
        QLabel *note = nullptr;
        bool warning = false;
    };

    QWidget *buildSide(Side &side, const QString &name, const QString &placeholder);
    QWidget *buildRelayBar();
    void showPair(const QByteArray &requestBytes, const QByteArray &responseBytes);
    QWidget *buildAcceptBox();
    QWidget *buildExtensionsBox();
    void showExtensions(const HttpRequest &request, const std::optional<HttpResponse> &response);
    HttpRequest showRequest(const QByteArray &bytes);
    std::optional<HttpResponse> showResponse(bool noRequest, const QByteArray &bytes);
    void showAccept();
    void applyColors();
    static void fillHeaders(QTableWidget *table, const HttpHeaders &headers);

    Side m_request;
    Side m_response;
    QWidget *m_relayBar = nullptr;
    QComboBox *m_relaySide = nullptr;
    QLabel *m_relayChanges = nullptr;
    RelayHandshake::Handshakes m_relayHandshakes;
    QByteArray m_requestBytes;
    QByteArray m_responseBytes;
    QWidget *m_bodyBox = nullptr;
    QLabel *m_bodyTitle = nullptr;
    QPlainTextEdit *m_body = nullptr;
    QGroupBox *m_acceptBox = nullptr;
    QGroupBox *m_extensionsBox = nullptr;
    QLabel *m_extensions = nullptr; // the negotiation of Sec-WebSocket-Extensions, explained
    QLabel *m_verdict = nullptr;
    QList<StepRow> m_steps;

    bool m_responseUnparsed = false;
    AcceptComputation m_accept;
};
