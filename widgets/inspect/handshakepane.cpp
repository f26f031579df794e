#include "inspect/handshakepane.h"

#include "common/palettecolors.h"
#include "teach/deflatenotes.h"

#include "text/displaytext.h"
#include "text/sizeformat.h"

#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSplitter>
#include <QTableWidget>
#include <QTextCursor>
#include <QVBoxLayout>

namespace {

using PaletteColors::setTextColor;
using PaletteColors::statusColor;

QLabel *plainLabel(const QString &text = {})
{
    auto *label = new QLabel(text);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    return label;
}

// A selectable label for text that came from the peer.
QLabel *peerLabel()
{
    QLabel *label = plainLabel();
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

QPlainTextEdit *rawView(const QString &objectName, const QString &placeholder)
{
    auto *view = new QPlainTextEdit;
    view->setObjectName(objectName);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    view->setPlaceholderText(placeholder);
    view->setTabChangesFocus(true);
    return view;
}

// One line of peer text (a header name or value, a request or status line).
QString oneLine(QByteArrayView bytes)
{
    return DisplayText::line(bytes);
}

// The raw request or response: CR LF ends a line, anything else shows as what it is.
QString rawText(QByteArrayView bytes)
{
    return DisplayText::fromPeer(bytes, { DisplayText::Lines::Http, -1, false });
}

} // namespace

HandshakePane::HandshakePane(QWidget *parent)
    : QWidget(parent)
{
    auto *sides = new QSplitter(Qt::Horizontal);
    sides->setChildrenCollapsible(false);
    sides->addWidget(buildSide(m_request, QStringLiteral("request"), tr("No request was sent.")));
    sides->addWidget(buildSide(m_response, QStringLiteral("response"), tr("No response received.")));

    auto *bodyBox = new QWidget;
    auto *bodyLayout = new QVBoxLayout(bodyBox);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    m_bodyTitle = plainLabel();
    m_bodyTitle->setObjectName(QStringLiteral("responseBodyTitle"));
    m_body = rawView(QStringLiteral("responseBody"), {});
    m_bodyTitle->setBuddy(m_body);
    bodyLayout->addWidget(m_bodyTitle);
    bodyLayout->addWidget(m_body);
    m_response.splitter->addWidget(bodyBox);
    bodyBox->setObjectName(QStringLiteral("responseBodyBox"));
    bodyBox->hide();
    m_bodyBox = bodyBox;

    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *checks = new QWidget;
    auto *checksLayout = new QVBoxLayout(checks);
    checksLayout->setContentsMargins(0, 0, 0, 0);
    checksLayout->addWidget(buildAcceptBox());
    checksLayout->addWidget(buildExtensionsBox());
    checksLayout->addStretch(1);
    scroll->setWidget(checks);

    auto *main = new QSplitter(Qt::Vertical);
    main->setChildrenCollapsible(false);
    main->addWidget(sides);
    main->addWidget(scroll);
    main->setStretchFactor(0, 1);
    main->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(buildRelayBar());
    layout->addWidget(main);

    clear();
}

QWidget *HandshakePane::buildRelayBar()
{
    m_relayBar = new QWidget;
    m_relayBar->setObjectName(QStringLiteral("relayBar"));
    auto *layout = new QHBoxLayout(m_relayBar);
    layout->setContentsMargins(0, 0, 0, 0);
    m_relaySide = new QComboBox;
    m_relaySide->setObjectName(QStringLiteral("relaySide"));
    m_relaySide->addItem(tr("Application \u21c4 inspector"));
    m_relaySide->addItem(tr("Inspector \u21c4 server"));
    m_relaySide->setToolTip(tr("A relayed connection has two handshakes: the application's with the relay, and "
                               "the one the relay passed on to the server"));
    connect(m_relaySide, &QComboBox::currentIndexChanged, this,
        [this](int index) { showRelaySide(index == 1 ? RelaySide::Server : RelaySide::Application); });
    m_relayChanges = plainLabel();
    m_relayChanges->setObjectName(QStringLiteral("relayChanges"));
    m_relayChanges->setWordWrap(true);
    layout->addWidget(new QLabel(tr("Handshake:")));
    layout->addWidget(m_relaySide);
    layout->addWidget(m_relayChanges, 1);
    m_relayBar->hide();
    return m_relayBar;
}

void HandshakePane::setRelayHandshakes(const RelayHandshake::Handshakes &handshakes)
{
    m_relayHandshakes = handshakes;
    RequestParser app, forwarded;
    QStringList changes;
    if (app.feed(handshakes.appRequest) == RequestParser::Status::Complete
        && forwarded.feed(handshakes.serverRequest) == RequestParser::Status::Complete) {
        for (const RelayHandshake::Change &change :
            RelayHandshake::requestChanges(app.request(), forwarded.request())) {
            const QString what = DisplayText::line(change.what);
            if (change.before.isEmpty())
                changes << tr("%1 added: %2").arg(what, DisplayText::quoted(change.after));
            else if (change.after.isEmpty())
                changes << tr("%1 left out").arg(what);
            else
                changes << tr("%1 %2 \u2192 %3")
                               .arg(what, DisplayText::quoted(change.before), DisplayText::quoted(change.after));
        }
    }
    QString text;
    if (handshakes.serverRequest.isEmpty())
        text = tr("Nothing was passed on to the server.");
    else if (changes.isEmpty())
        text = tr("The relay passed the request on unchanged.");
    else
        text = tr("The relay changed: %1.").arg(changes.join(QStringLiteral("; ")));
    if (!handshakes.serverResponse.isEmpty() && !handshakes.appResponse.isEmpty())
        text += QLatin1Char(' ')
            + (handshakes.appResponse == handshakes.serverResponse
                    ? tr("The answer went back as it came.")
                    : tr("The application got the relay's own answer, not the server's."));
    m_relayChanges->setText(text);
    m_relayChanges->setToolTip(DisplayText::toolTip(text));
    m_relayBar->show();
    showRelaySide(m_relaySide->currentIndex() == 1 ? RelaySide::Server : RelaySide::Application);
}

void HandshakePane::showRelaySide(RelaySide side)
{
    const int index = side == RelaySide::Server ? 1 : 0;
    if (m_relaySide->currentIndex() != index) {
        m_relaySide->setCurrentIndex(index); // comes back here through currentIndexChanged
        return;
    }
    if (side == RelaySide::Server)
        showPair(m_relayHandshakes.serverRequest, m_relayHandshakes.serverResponse);
    else
        showPair(m_relayHandshakes.appRequest, m_relayHandshakes.appResponse);
}

QString HandshakePane::relayChangesText() const
{
    return m_relayBar->isHidden() ? QString() : m_relayChanges->text();
}

QWidget *HandshakePane::buildSide(Side &side, const QString &name, const QString &placeholder)
{
    side.box = new QGroupBox;
    side.box->setObjectName(name + QStringLiteral("Box"));
    auto *layout = new QVBoxLayout(side.box);

    side.summary = peerLabel();
    side.summary->setObjectName(name + QStringLiteral("Summary"));
    QFont bold = side.summary->font();
    bold.setBold(true);
    side.summary->setFont(bold);
    layout->addWidget(side.summary);

    side.splitter = new QSplitter(Qt::Vertical);
    QSplitter *splitter = side.splitter;
    splitter->setChildrenCollapsible(false);
    side.raw = rawView(name + QStringLiteral("Text"), placeholder);
    side.raw->setToolTip(tr("The exact bytes, one HTTP line per line. Control characters are escaped (\\r, \\t, "
                            "\\x00); bytes that are not valid UTF-8 appear as \\xHH."));
    splitter->addWidget(side.raw);

    auto *headersBox = new QWidget;
    auto *headersLayout = new QVBoxLayout(headersBox);
    headersLayout->setContentsMargins(0, 0, 0, 0);
    side.headersTitle = plainLabel();
    side.headers = new QTableWidget(0, 2);
    side.headers->setObjectName(name + QStringLiteral("Headers"));
    side.headers->setHorizontalHeaderLabels({ tr("Name"), tr("Value") });
    side.headers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    side.headers->setSelectionBehavior(QAbstractItemView::SelectRows);
    side.headers->setAlternatingRowColors(true);
    side.headers->setWordWrap(false);
    side.headers->verticalHeader()->setVisible(false);
    side.headers->verticalHeader()->setMinimumSectionSize(side.headers->fontMetrics().height() + 4);
    side.headers->verticalHeader()->setDefaultSectionSize(side.headers->fontMetrics().height() + 8);
    side.headers->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    side.headers->horizontalHeader()->setStretchLastSection(true);
    side.headers->setToolTip(tr("Headers in the order they were sent; repeated names are kept."));
    side.headersTitle->setBuddy(side.headers);
    headersLayout->addWidget(side.headersTitle);
    headersLayout->addWidget(side.headers);
    splitter->addWidget(headersBox);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);
    return side.box;
}

QWidget *HandshakePane::buildAcceptBox()
{
    m_acceptBox = new QGroupBox(tr("Sec-WebSocket-Accept check"));
    m_acceptBox->setObjectName(QStringLiteral("acceptBox"));
    m_acceptBox->setToolTip(tr("RFC 6455 §4.2.2: the server proves it understood the WebSocket request by hashing the "
                               "client's key with a fixed GUID."));
    auto *layout = new QVBoxLayout(m_acceptBox);

    m_verdict = peerLabel();
    m_verdict->setObjectName(QStringLiteral("verdict"));
    m_verdict->setAutoFillBackground(true);
    m_verdict->setMargin(8);
    m_verdict->setFrameShape(QFrame::StyledPanel);
    QFont big = m_verdict->font();
    big.setBold(true);
    m_verdict->setFont(big);
    layout->addWidget(m_verdict);

    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(2);
    grid->setColumnStretch(2, 1);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (int i = 0; i < 5; ++i) {
        StepRow row;
        auto *number = plainLabel(QString::number(i + 1));
        QFont numberFont = number->font();
        numberFont.setBold(true);
        number->setFont(numberFont);
        number->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        row.title = plainLabel();
        row.title->setFont(numberFont);
        row.title->setMinimumWidth(260);
        row.explanation = plainLabel();
        row.explanation->setMinimumWidth(260);
        row.value = new QLineEdit;
        row.value->setObjectName(QStringLiteral("stepValue%1").arg(i + 1));
        row.value->setReadOnly(true);
        row.value->setFont(fixed);
        row.value->setMinimumWidth(200);
        row.title->setBuddy(row.value);
        row.note = peerLabel();
        row.note->setObjectName(QStringLiteral("stepNote%1").arg(i + 1));

        const int r = i * 3;
        grid->addWidget(number, r, 0);
        grid->addWidget(row.title, r, 1);
        grid->addWidget(row.value, r, 2);
        grid->addWidget(row.explanation, r + 1, 1, Qt::AlignTop);
        grid->addWidget(row.note, r + 1, 2, Qt::AlignTop);
        if (i < 4)
            grid->setRowMinimumHeight(r + 2, 10);
        m_steps.append(row);
    }
    layout->addLayout(grid);
    layout->addStretch(1);
    return m_acceptBox;
}

QWidget *HandshakePane::buildExtensionsBox()
{
    m_extensionsBox = new QGroupBox(tr("Extensions (Sec-WebSocket-Extensions)"));
    m_extensionsBox->setObjectName(QStringLiteral("extensionsBox"));
    m_extensionsBox->setToolTip(tr("RFC 6455 §9.1 and RFC 7692: the client offers extensions, the server accepts "
                                   "some with its parameters, and both sides then frame messages accordingly."));
    auto *layout = new QVBoxLayout(m_extensionsBox);
    m_extensions = peerLabel();
    m_extensions->setObjectName(QStringLiteral("extensionsNotes"));
    layout->addWidget(m_extensions);
    return m_extensionsBox;
}

void HandshakePane::showExtensions(const HttpRequest &request, const std::optional<HttpResponse> &response)
{
    std::optional<HandshakeCheck> check;
    if (response) {
        const QStringList offers = [&] {
            QStringList list;
            for (const QByteArray &value : HttpHeaderList::values(request.headers, "Sec-WebSocket-Extensions"))
                list << QString::fromLatin1(value);
            return list;
        }();
        check = Handshake::checkResponse(
            *response, HttpHeaderList::value(request.headers, "Sec-WebSocket-Key"), {}, offers);
    }
    const QStringList notes = DeflateNotes::negotiation(
        request.headers, response ? &response->headers : nullptr, check ? &*check : nullptr);
    m_extensions->setText(notes.join(QStringLiteral("\n\n")));
    m_extensionsBox->setVisible(!m_requestBytes.isEmpty());
}

void HandshakePane::clear()
{
    setHandshake({}, {});
    m_request.summary->setText(tr("No handshake to show: select a connection."));
}

void HandshakePane::setHandshake(const QByteArray &requestBytes, const QByteArray &responseBytes)
{
    m_relayBar->hide();
    m_relayHandshakes = {};
    showPair(requestBytes, responseBytes);
}

void HandshakePane::showPair(const QByteArray &requestBytes, const QByteArray &responseBytes)
{
    m_requestBytes = requestBytes;
    m_responseBytes = responseBytes;
    const HttpRequest request = showRequest(requestBytes);
    const std::optional<HttpResponse> response = showResponse(requestBytes.isEmpty(), responseBytes);
    m_responseUnparsed = !responseBytes.isEmpty() && !response;
    m_accept = AcceptComputation::fromHandshake(request, response ? &*response : nullptr);
    showAccept();
    showExtensions(request, response);
    // Without a request there is nothing to check: no FAIL for a connection that never started.
    m_acceptBox->setVisible(!requestBytes.isEmpty());
    applyColors();
}

void HandshakePane::fillHeaders(QTableWidget *table, const HttpHeaders &headers)
{
    table->setRowCount(int(headers.size()));
    for (int row = 0; row < headers.size(); ++row) {
        const QString name = oneLine(headers[row].name);
        const QString value = oneLine(headers[row].value);
        auto *nameItem = new QTableWidgetItem(name);
        auto *valueItem = new QTableWidgetItem(value);
        valueItem->setToolTip(DisplayText::toolTip(value));
        table->setItem(row, 0, nameItem);
        table->setItem(row, 1, valueItem);
    }
}

HttpRequest HandshakePane::showRequest(const QByteArray &bytes)
{
    m_request.box->setTitle(
        bytes.isEmpty() ? tr("Request") : tr("Request (%1 sent)").arg(SizeFormat::bytes(bytes.size())));
    m_request.raw->setPlainText(rawText(bytes));
    m_request.problem = false;

    HttpRequest request;
    if (bytes.isEmpty()) {
        m_request.summary->setText(tr("No request was sent."));
    } else {
        // Whatever was recorded is shown, so the limit is at least its size.
        RequestParser parser(std::max<qsizetype>(bytes.size(), 16 * 1024));
        const auto status = parser.feed(bytes);
        if (status == RequestParser::Status::Complete) {
            request = parser.request();
            m_request.summary->setText(oneLine(request.method + ' ' + request.target + ' ' + request.version));
        } else {
            m_request.problem = true;
            m_request.summary->setText(status == RequestParser::Status::Error
                    ? tr("Could not parse the request: %1").arg(parser.errorString())
                    : tr("The request is incomplete: it does not end with a blank line."));
        }
    }
    fillHeaders(m_request.headers, request.headers);
    m_request.headersTitle->setText(tr("Headers (%1)").arg(request.headers.size()));
    return request;
}

std::optional<HttpResponse> HandshakePane::showResponse(bool noRequest, const QByteArray &bytes)
{
    m_response.box->setTitle(
        bytes.isEmpty() ? tr("Response") : tr("Response (%1 received)").arg(SizeFormat::bytes(bytes.size())));
    m_response.raw->setPlainText(rawText(bytes));
    m_response.problem = false;

    std::optional<HttpResponse> response;
    if (bytes.isEmpty()) {
        m_response.problem = !noRequest;
        m_response.summary->setText(noRequest ? QString()
                                              : tr("No response received: the connection ended or failed before "
                                                   "the server answered."));
    } else {
        ResponseParser parser(
            std::max<qsizetype>(bytes.size(), 16 * 1024), std::max<qsizetype>(bytes.size(), 64 * 1024));
        auto status = parser.feed(bytes);
        // The recording is all there will be: a response cut short is shown with what arrived.
        if (status == ResponseParser::Status::NeedMore)
            status = parser.finish();
        if (status == ResponseParser::Status::Complete) {
            response = parser.response();
            m_response.problem = response->status != 101;
            m_response.summary->setText(
                oneLine(response->version + ' ' + QByteArray::number(response->status) + ' ' + response->reason));
        } else {
            m_response.problem = true;
            m_response.summary->setText(tr("Could not parse the response: %1").arg(parser.errorString()));
        }
    }
    const HttpHeaders headers = response ? response->headers : HttpHeaders();
    fillHeaders(m_response.headers, headers);
    m_response.headersTitle->setText(tr("Headers (%1)").arg(headers.size()));

    // Non-101 responses often explain themselves in the body ("origin not allowed").
    const QByteArray body = response && response->status != 101 ? response->body : QByteArray();
    m_bodyBox->setVisible(!body.isEmpty());
    m_body->setPlainText(rawText(body));
    m_bodyTitle->setText(tr("Body (%1)").arg(SizeFormat::bytes(body.size())));
    return response;
}

void HandshakePane::showAccept()
{
    const QList<AcceptStep> steps = m_accept.steps();
    for (int i = 0; i < steps.size() && i < m_steps.size(); ++i) {
        const AcceptStep &step = steps[i];
        StepRow &row = m_steps[i];
        row.title->setText(step.title);
        row.explanation->setText(step.explanation);
        row.value->setText(step.value);
        row.value->setCursorPosition(0);
        row.value->setToolTip(DisplayText::toolTip(step.value));
        row.note->setText(step.note);
        row.note->setVisible(!step.note.isEmpty());
        row.warning = step.warning;
    }

    QString verdict;
    if (m_accept.passed()) {
        verdict = tr("PASS \u2714  The server's Sec-WebSocket-Accept is correct.");
    } else if (m_responseUnparsed) {
        verdict = tr("FAIL \u2718  The response could not be parsed, so it has no Sec-WebSocket-Accept.");
    } else {
        verdict = tr("FAIL \u2718  %1").arg(m_accept.verdict());
    }
    m_verdict->setText(verdict);
}

void HandshakePane::applyColors()
{
    const QPalette base = palette();
    const QColor good = statusColor(base, true);
    const QColor bad = statusColor(base, false);
    const QColor muted = PaletteColors::mutedColor(base, 0.35);

    const QColor verdictColor = m_accept.passed() ? good : bad;
    QPalette verdictPalette = m_verdict->palette();
    verdictPalette.setColor(QPalette::WindowText, verdictColor);
    verdictPalette.setColor(QPalette::Window, PaletteColors::mix(base.color(QPalette::Window), verdictColor, 0.14));
    m_verdict->setPalette(verdictPalette);

    for (const StepRow &row : std::as_const(m_steps)) {
        setTextColor(row.explanation, muted);
        if (row.warning)
            setTextColor(row.note, bad);
        else
            setTextColor(row.note, base.color(QPalette::WindowText));
    }
    for (const Side *side : { &m_request, &m_response })
        setTextColor(side->summary, side->problem ? bad : base.color(QPalette::WindowText));
}

void HandshakePane::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColors();
}

void HandshakePane::highlightBytes(bool inResponse, qsizetype offset, qsizetype length)
{
    const QByteArray &bytes = inResponse ? m_responseBytes : m_requestBytes;
    QPlainTextEdit *raw = inResponse ? m_response.raw : m_request.raw;
    if (offset < 0 || length < 0 || offset + length > bytes.size())
        return;
    // The view shows escaped text; the escaping runs byte by byte, so the text of a prefix gives the
    // character position of the byte after it (ranges start and end on whole lines or code points).
    const int start = int(rawText(QByteArrayView(bytes).first(offset)).size());
    const int end = int(rawText(QByteArrayView(bytes).first(offset + length)).size());
    QTextCursor cursor(raw->document());
    cursor.setPosition(qMin(start, raw->document()->characterCount() - 1));
    cursor.setPosition(qMin(end, raw->document()->characterCount() - 1), QTextCursor::KeepAnchor);
    raw->setTextCursor(cursor);
    raw->ensureCursorVisible();
}

QString HandshakePane::highlightedText(bool inResponse) const
{
    return (inResponse ? m_response.raw : m_request.raw)->textCursor().selectedText();
}
