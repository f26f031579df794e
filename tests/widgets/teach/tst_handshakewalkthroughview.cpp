#include "teach/handshakewalkthroughview.h"

#include "teach/glossary.h"

#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include <cmath>

namespace {

// RFC 6455 §1.3, byte for byte.
const QByteArray RfcRequest = "GET /chat HTTP/1.1\r\n"
                              "Host: server.example.com\r\n"
                              "Upgrade: websocket\r\n"
                              "Connection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                              "Origin: http://example.com\r\n"
                              "Sec-WebSocket-Protocol: chat, superchat\r\n"
                              "Sec-WebSocket-Version: 13\r\n"
                              "\r\n";
const QByteArray RfcResponse = "HTTP/1.1 101 Switching Protocols\r\n"
                               "Upgrade: websocket\r\n"
                               "Connection: Upgrade\r\n"
                               "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                               "Sec-WebSocket-Protocol: chat\r\n"
                               "\r\n";

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    return p; // Link stays Qt's default blue, which is hard to read on this window
}

double luminance(const QColor &c)
{
    auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

struct Highlight {
    bool inResponse;
    qsizetype offset;
    qsizetype length;
};

Highlight highlightAt(const QSignalSpy &spy, int i)
{
    const QList<QVariant> args = spy.at(i);
    return { args.at(0).toBool(), args.at(1).value<qsizetype>(), args.at(2).value<qsizetype>() };
}

} // namespace

class tst_HandshakeWalkthroughView : public QObject {
    Q_OBJECT

private slots:
    void empty();
    void startsAtFirstStepSilently();
    void everyStepShowsItsCard_data();
    void everyStepShowsItsCard();
    void nextAndBack();
    void listSelectsStep();
    void spanButtonsHighlight();
    void topicButtonsRequestTopics();
    void warningStep();
    void peerBytesStayPlain();
    void linksReadableOnDark();
};

void tst_HandshakeWalkthroughView::empty()
{
    HandshakeWalkthroughView view;
    QSignalSpy highlight(&view, &HandshakeWalkthroughView::highlightRequested);
    QCOMPARE(view.stepCount(), 0);
    QCOMPARE(view.currentStep(), -1);
    QCOMPARE(view.titleText(), QStringLiteral("No handshake to walk through"));
    QVERIFY(!view.findChild<QPushButton *>(QStringLiteral("nextButton"))->isEnabled());
    QVERIFY(!view.findChild<QPushButton *>(QStringLiteral("backButton"))->isEnabled());
    view.next();
    view.setCurrentStep(0);
    QCOMPARE(view.currentStep(), -1);
    QCOMPARE(highlight.size(), 0);
    QVERIFY(view.spanButtons().isEmpty());
    QCOMPARE(view.findChild<QListWidget *>(QStringLiteral("stepList"))->count(), 0);
}

void tst_HandshakeWalkthroughView::startsAtFirstStepSilently()
{
    HandshakeWalkthroughView view;
    QSignalSpy highlight(&view, &HandshakeWalkthroughView::highlightRequested);
    QSignalSpy changed(&view, &HandshakeWalkthroughView::currentStepChanged);
    view.setHandshake(RfcRequest, RfcResponse);
    QCOMPARE(view.stepCount(), 15);
    QCOMPARE(view.currentStep(), 0);
    QCOMPARE(view.titleText(), QStringLiteral("The client connects and sends an HTTP GET"));
    QVERIFY(!view.findChild<QPushButton *>(QStringLiteral("backButton"))->isEnabled());
    QVERIFY(view.findChild<QPushButton *>(QStringLiteral("nextButton"))->isEnabled());
    // Loading a connection does not move the selection in the handshake pane; navigating does.
    QCOMPARE(highlight.size(), 0);
    QCOMPARE(changed.size(), 0);

    const QListWidget *list = view.findChild<QListWidget *>(QStringLiteral("stepList"));
    QCOMPARE(list->count(), 15);
    QCOMPARE(list->currentRow(), 0);
    QCOMPARE(list->item(1)->text(), QStringLiteral("2. → Host: server.example.com"));
    QCOMPARE(list->item(8)->text(), QStringLiteral("9. The server computes Sec-WebSocket-Accept"));
    QCOMPARE(list->item(9)->text(), QStringLiteral("10. ← HTTP/1.1 101 Switching Protocols"));

    view.setCurrentStep(5);
    view.setHandshake(RfcRequest, {}); // another connection: back to its first step
    QCOMPARE(view.currentStep(), 0);
    QCOMPARE(view.stepCount(), 11);
}

void tst_HandshakeWalkthroughView::everyStepShowsItsCard_data()
{
    QTest::addColumn<int>("index");
    const HandshakeWalkthrough w(RfcRequest, RfcResponse);
    for (int i = 0; i < w.steps().size(); ++i)
        QTest::addRow("%d %s", i, qPrintable(w.steps()[i].title)) << i;
}

void tst_HandshakeWalkthroughView::everyStepShowsItsCard()
{
    QFETCH(int, index);
    HandshakeWalkthroughView view;
    view.setHandshake(RfcRequest, RfcResponse);
    const WalkthroughStep step = view.walkthrough().steps().at(index);
    if (index == 0)
        view.setCurrentStep(1); // so that showing step 0 is a change
    QSignalSpy highlight(&view, &HandshakeWalkthroughView::highlightRequested);
    QSignalSpy changed(&view, &HandshakeWalkthroughView::currentStepChanged);

    view.setCurrentStep(index);
    QCOMPARE(view.currentStep(), index);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().toInt(), index);
    QCOMPARE(view.titleText(), step.title);
    QCOMPARE(view.explanationText(), step.explanation);
    QCOMPARE(view.detailsText(), step.details.join(QLatin1Char('\n')));
    QCOMPARE(view.browserText(), step.inBrowser);
    QCOMPARE(view.spanButtons().size(), step.spans.size());
    QCOMPARE(view.topicButtons().size(), step.topics.size());
    QCOMPARE(view.findChild<QLabel *>(QStringLiteral("stepPosition"))->text(),
        QStringLiteral("Step %1 of 15 · %2").arg(index + 1).arg(HandshakeWalkthrough::stageName(step.stage)));

    if (step.spans.isEmpty()) {
        QCOMPARE(highlight.size(), 0);
    } else {
        QCOMPARE(highlight.size(), 1);
        const Highlight h = highlightAt(highlight, 0);
        QCOMPARE(h.inResponse, step.spans.first().inResponse);
        QCOMPARE(h.offset, step.spans.first().offset);
        QCOMPARE(h.length, step.spans.first().length);
    }
    // Showing the same step again changes nothing and says nothing.
    view.setCurrentStep(index);
    QCOMPARE(changed.size(), 1);
}

void tst_HandshakeWalkthroughView::nextAndBack()
{
    HandshakeWalkthroughView view;
    view.setHandshake(RfcRequest, RfcResponse);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy highlight(&view, &HandshakeWalkthroughView::highlightRequested);
    auto *next = view.findChild<QPushButton *>(QStringLiteral("nextButton"));
    auto *back = view.findChild<QPushButton *>(QStringLiteral("backButton"));

    QTest::mouseClick(next, Qt::LeftButton);
    QCOMPARE(view.currentStep(), 1);
    QCOMPARE(view.titleText(), QStringLiteral("Host: server.example.com"));
    QCOMPARE(highlight.size(), 1);
    Highlight h = highlightAt(highlight, 0);
    QCOMPARE(h.inResponse, false);
    QCOMPARE(h.offset, 20);
    QCOMPARE(h.length, 24);
    QVERIFY(back->isEnabled());

    QTest::mouseClick(back, Qt::LeftButton);
    QCOMPARE(view.currentStep(), 0);
    h = highlightAt(highlight, 1);
    QCOMPARE(h.offset, 0);
    QCOMPARE(h.length, 18);
    QVERIFY(!back->isEnabled());

    for (int i = 0; i < 20; ++i)
        view.next();
    QCOMPARE(view.currentStep(), 14);
    QVERIFY(!next->isEnabled());
    QCOMPARE(view.titleText(), QStringLiteral("From here on: frames, not HTTP"));
}

void tst_HandshakeWalkthroughView::listSelectsStep()
{
    HandshakeWalkthroughView view;
    view.setHandshake(RfcRequest, RfcResponse);
    QSignalSpy highlight(&view, &HandshakeWalkthroughView::highlightRequested);
    auto *list = view.findChild<QListWidget *>(QStringLiteral("stepList"));
    list->setCurrentRow(12);
    QCOMPARE(view.currentStep(), 12);
    QCOMPARE(view.titleText(), QStringLiteral("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QCOMPARE(highlight.size(), 1);
    const Highlight h = highlightAt(highlight, 0);
    QCOMPARE(h.inResponse, true);
    QCOMPARE(h.offset, 75);
    QCOMPARE(h.length, 50);
    view.back();
    QCOMPARE(list->currentRow(), 11);
}

void tst_HandshakeWalkthroughView::spanButtonsHighlight()
{
    HandshakeWalkthroughView view;
    view.setHandshake(RfcRequest, RfcResponse);
    view.setCurrentStep(8); // the accept computation: the key line and the accept line
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy highlight(&view, &HandshakeWalkthroughView::highlightRequested);
    const QList<QToolButton *> buttons = view.spanButtons();
    QCOMPARE(buttons.size(), 2);
    QCOMPARE(buttons[0]->text(), QStringLiteral("request, bytes 87–129: Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="));
    QCOMPARE(buttons[1]->text(),
        QStringLiteral("response, bytes 75–124: Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));

    QTest::mouseClick(buttons[1], Qt::LeftButton);
    QCOMPARE(highlight.size(), 1);
    Highlight h = highlightAt(highlight, 0);
    QCOMPARE(h.inResponse, true);
    QCOMPARE(h.offset, 75);
    QCOMPARE(h.length, 50);
    QTest::mouseClick(buttons[0], Qt::LeftButton);
    h = highlightAt(highlight, 1);
    QCOMPARE(h.inResponse, false);
    QCOMPARE(h.offset, 87);
    QCOMPARE(h.length, 43);
    QCOMPARE(view.currentStep(), 8);
    QVERIFY(view.detailsText().contains(QStringLiteral("SHA-1:        b37a4f2cc0624f1690f64606cf385945b2bec4ea")));
}

void tst_HandshakeWalkthroughView::topicButtonsRequestTopics()
{
    HandshakeWalkthroughView view;
    view.setHandshake(RfcRequest, RfcResponse);
    view.setCurrentStep(14);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy topics(&view, &HandshakeWalkthroughView::topicRequested);
    const QList<QToolButton *> buttons = view.topicButtons();
    QCOMPARE(buttons.size(), 3);
    QCOMPARE(buttons[2]->text(), Glossary::entry(Glossary::SocketIo).title);
    for (QToolButton *b : buttons)
        QTest::mouseClick(b, Qt::LeftButton);
    QCOMPARE(topics.size(), 3);
    QCOMPARE(topics.at(0).first().toString(), QString(Glossary::Events));
    QCOMPARE(topics.at(1).first().toString(), QString(Glossary::ReadyState));
    QCOMPARE(topics.at(2).first().toString(), QString(Glossary::SocketIo));
}

void tst_HandshakeWalkthroughView::warningStep()
{
    HandshakeWalkthroughView view;
    view.setHandshake(RfcRequest, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    const auto *title = view.findChild<QLabel *>(QStringLiteral("stepTitle"));
    const QColor normal = title->palette().color(QPalette::WindowText);
    QCOMPARE(normal, view.palette().color(QPalette::WindowText));

    view.setCurrentStep(9);
    QCOMPARE(view.titleText(), QStringLiteral("HTTP/1.1 403 Forbidden"));
    QVERIFY(view.explanationText().startsWith(QStringLiteral("403 Forbidden: the server refused the connection.")));
    QVERIFY(title->palette().color(QPalette::WindowText) != normal);
    QCOMPARE(view.browserText(), QStringLiteral("error, then close with code 1006 and wasClean false"));

    const auto *list = view.findChild<QListWidget *>(QStringLiteral("stepList"));
    QVERIFY(!list->item(9)->icon().isNull());
    QVERIFY(list->item(1)->icon().isNull());
    view.setCurrentStep(1);
    QCOMPARE(title->palette().color(QPalette::WindowText), normal);
}

void tst_HandshakeWalkthroughView::peerBytesStayPlain()
{
    QByteArray request = RfcRequest;
    request.replace("\r\n\r\n", "\r\nCookie: a=1&b=<b>2</b>\r\n\r\n");
    HandshakeWalkthroughView view;
    view.setHandshake(request, {});
    const int other
        = int(std::find_if(view.walkthrough().steps().cbegin(), view.walkthrough().steps().cend(),
                  [](const WalkthroughStep &s) { return s.kind == WalkthroughStep::Kind::OtherRequestHeaders; })
            - view.walkthrough().steps().cbegin());
    view.setCurrentStep(other);
    QCOMPARE(view.spanButtons().size(), 1);
    QToolButton *button = view.spanButtons().first();
    // '&' is doubled so it is not taken as a shortcut marker; the tooltip is escaped HTML.
    QCOMPARE(button->text(), QStringLiteral("request, bytes 228–249: Cookie: a=1&&b=<b>2</b>"));
    QVERIFY(button->toolTip().contains(QStringLiteral("a=1&amp;b=&lt;b&gt;2&lt;/b&gt;")));
    QCOMPARE(view.findChild<QLabel *>(QStringLiteral("stepTitle"))->textFormat(), Qt::PlainText);
    QCOMPARE(view.findChild<QLabel *>(QStringLiteral("stepExplanation"))->textFormat(), Qt::PlainText);
}

void tst_HandshakeWalkthroughView::linksReadableOnDark()
{
    HandshakeWalkthroughView view;
    view.setPalette(darkPalette());
    view.setHandshake(RfcRequest, RfcResponse);
    view.setCurrentStep(8);
    for (QToolButton *b : view.spanButtons() + view.topicButtons()) {
        const double ratio = contrast(b->palette().color(QPalette::ButtonText), view.palette().color(QPalette::Window));
        QVERIFY2(ratio >= 4.5, qPrintable(QString::number(ratio)));
    }
}

QTEST_MAIN(tst_HandshakeWalkthroughView)
#include "tst_handshakewalkthroughview.moc"
