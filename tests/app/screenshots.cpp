// Scripts a short session in the real window and saves screenshots of it, for looking at the GUI
// and for the README. Run on a display (xvfb-run works):
//
//   xvfb-run -a -s "-screen 0 1600x1000x24" build/dev/tests/wsi_screenshots docs/screenshots
//
// Not a test: it asserts nothing; the window tests (tst_mainwindow) do that.

#include "send/closecontrols.h"
#include "inspect/connectionbar.h"
#include "send/framecrafter.h"
#include "teach/framediagram.h"
#include "inspect/framehexview.h"
#include "teach/handshakewalkthroughview.h"
#include "teach/learnpanel.h"
#include "probe/probepanel.h"
#include "teach/timelineview.h"
#include "probe/proberunner.h"
#include "inspect/handshakepane.h"
#include "log/messagelogmodel.h"
#include "mainwindow.h"
#include "inspect/messagelogview.h"
#include "net/embeddedserver.h"
#include "inspect/payloadview.h"
#include "send/sendcomposer.h"

#include <QApplication>
#include <QDockWidget>
#include <QDir>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

namespace {
void settle(int ms = 300)
{
    QTest::qWait(ms); // let batches land and the window repaint before grabbing it
}

qsizetype findRow(MessageLogView *view, const QString &type, Direction direction, int nth = 0)
{
    QAbstractItemModel *model = view->table()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(MessageLogModel::TypeNameRole).toString() == type
            && index.data(MessageLogModel::DirectionRole).toInt() == int(direction) && nth-- == 0)
            return index.data(MessageLogModel::EventIndexRole).toLongLong();
    }
    return -1;
}

int fail(const char *why)
{
    std::fprintf(stderr, "wsi_screenshots: %s\n", why);
    return 1;
}

void save(QWidget *window, const QString &path)
{
    window->grab().save(path);
    std::printf("saved %s\n", qPrintable(path));
}
} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(".");
    QDir().mkpath(out);
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    MainWindow w(&settings);
    w.startEmbeddedServer(0);
    w.resize(1500, 940);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w))
        return fail("the window was never shown");

    w.server()->setMode(EmbeddedServer::Mode::Echo);
    ClientSession *session = w.openConnection(w.connectionBar()->options());
    if (!QTest::qWaitFor([session] { return session->connection()->readyState() == ReadyState::Open; }, 5000))
        return fail("the connection to the embedded server did not open");

    w.composer()->setMode(ComposerMode::Text);
    w.composer()->setInput(QStringLiteral("Hello, WebSocket!"));
    w.composer()->send();
    w.composer()->setMode(ComposerMode::Json);
    w.composer()->setInput(QStringLiteral("{\"type\":\"chat\",\"user\":\"ada\",\"text\":\"hi all\",\"tags\":[\"intro\",\"demo\"]}"));
    w.composer()->send();
    w.composer()->setMode(ComposerMode::Hex);
    w.composer()->setInput(QStringLiteral("00 01 02 03 fe ff"));
    w.composer()->send();
    session->connection()->ping("heartbeat");
    w.composer()->setMode(ComposerMode::Text);
    w.composer()->setFragmentSize(8);
    w.composer()->setInput(QStringLiteral("a message sent in fragments of 8 bytes"));
    w.composer()->send();
    w.composer()->setFragmentSize(0);
    w.composer()->setInput(QStringLiteral("{\"next\": \"message\"}"));
    settle(600);

    // 1: the handshake selected, with the Sec-WebSocket-Accept check.
    w.logView()->selectEvent(findRow(w.logView(), QStringLiteral("handshake"), Direction::Incoming));
    w.detailTabs()->setCurrentWidget(w.handshakePane());
    settle();
    save(&w, out + QStringLiteral("/handshake.png"));

    // 2: our masked text frame in the annotated hex view.
    w.logView()->selectEvent(findRow(w.logView(), QStringLiteral("text"), Direction::Outgoing));
    w.detailTabs()->setCurrentWidget(w.hexView()->parentWidget());
    settle();
    save(&w, out + QStringLiteral("/frame.png"));

    // 3: the JSON echo as a tree.
    w.logView()->selectEvent(findRow(w.logView(), QStringLiteral("text"), Direction::Incoming, 1));
    w.detailTabs()->setCurrentWidget(w.payloadView());
    w.payloadView()->setCurrentTab(PayloadView::Tab::Tree);
    settle();
    save(&w, out + QStringLiteral("/payload-json.png"));

    // 4: the frame diagram of our masked text frame, with the Learn panel beside it.
    w.logView()->selectEvent(findRow(w.logView(), QStringLiteral("text"), Direction::Outgoing));
    w.detailTabs()->setCurrentWidget(w.frameDiagram());
    w.learnPanel()->setTopic(QStringLiteral("masking"));
    if (auto *learn = w.findChild<QDockWidget *>(QStringLiteral("learnDock")))
        learn->raise();
    settle();
    save(&w, out + QStringLiteral("/diagram.png"));

    // 5: the handshake walk-through at the key step, its line selected in the request.
    w.detailTabs()->setCurrentWidget(w.walkthrough());
    const auto steps = w.walkthrough()->walkthrough().steps();
    for (int i = 0; i < steps.size(); ++i)
        if (steps[i].kind == WalkthroughStep::Kind::ComputeAccept)
            w.walkthrough()->setCurrentStep(i);
    settle();
    save(&w, out + QStringLiteral("/walkthrough.png"));

    // 6: the timeline.
    w.detailTabs()->setCurrentWidget(w.timelineView());
    settle();
    save(&w, out + QStringLiteral("/timeline.png"));

    // 7: the frame crafter with an invalid frame, and the probe report against the embedded server.
    FrameSpec rsv;
    rsv.rsv = Rsv::Rsv1;
    rsv.payload = "Hello";
    rsv.maskingKey = 0x37fa213d;
    w.crafter()->setSpec(rsv);
    if (auto *tabs = qobject_cast<QTabWidget *>(w.crafter()->parentWidget()->parentWidget()))
        tabs->setCurrentWidget(w.crafter());
    if (auto *probeDock = w.findChild<QDockWidget *>(QStringLiteral("probeDock")))
        probeDock->raise();
    settle();
    QSignalSpy probesDone(w.findChild<ProbeRunner *>(), &ProbeRunner::finished);
    w.probePanel()->setUrl(w.server()->url());
    w.probePanel()->start();
    probesDone.wait(120'000);
    settle();
    save(&w, out + QStringLiteral("/testing.png"));

    // 8: after a close with a chosen code.
    w.closeControls()->setCode(4000);
    w.closeControls()->setReason(QStringLiteral("bye for now"));
    w.closeControls()->requestClose();
    if (!QTest::qWaitFor([session] { return session->connection()->readyState() == ReadyState::Closed; }, 5000))
        return fail("the connection did not close");
    settle();
    w.logView()->selectEvent(findRow(w.logView(), QStringLiteral("close"), Direction::Incoming));
    settle();
    save(&w, out + QStringLiteral("/closed.png"));
    return 0;
}
