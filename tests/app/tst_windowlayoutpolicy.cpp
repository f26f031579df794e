// The arithmetic of the window's first geometry and of its right-hand docks, for screens from a
// small laptop to a second monitor beside the first; and a remembered geometry brought back onto
// the screen.

#include "windowlayoutpolicy.h"

#include <QTest>

class tst_WindowLayoutPolicy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void frameGeometry_data();
    void frameGeometry();
    void arrangement_data();
    void arrangement();
    void dockWidth_data();
    void dockWidth();
    void fitted_data();
    void fitted();
};

void tst_WindowLayoutPolicy::frameGeometry_data()
{
    QTest::addColumn<QRect>("available");
    QTest::addColumn<QSize>("size");
    QTest::addRow("1366x768 laptop") << QRect(0, 0, 1366, 768) << QSize(1366, 768);
    QTest::addRow("1366x768 under a top panel") << QRect(0, 27, 1366, 741) << QSize(1366, 741);
    QTest::addRow("1280x720") << QRect(0, 0, 1280, 720) << QSize(1280, 720);
    QTest::addRow("1920x1080") << QRect(0, 0, 1920, 1080) << QSize(1800, 1080);
    QTest::addRow("2560x1440 right of a 1920x1080") << QRect(1920, 0, 2560, 1440) << QSize(1800, 1120);
    QTest::addRow("1080x1920 portrait") << QRect(0, 0, 1080, 1920) << QSize(1080, 1120);
    QTest::addRow("odd size") << QRect(3, 5, 1801, 1121) << QSize(1800, 1120);
}

void tst_WindowLayoutPolicy::frameGeometry()
{
    QFETCH(QRect, available);
    QFETCH(QSize, size);
    const WindowLayoutPolicy policy(available);
    const QRect frame = policy.frameGeometry();
    QCOMPARE(frame.size(), size);
    QVERIFY(available.contains(frame));
    // Centred: the margins either side differ by one pixel at most.
    QVERIFY(qAbs((frame.left() - available.left()) - (available.right() - frame.right())) <= 1);
    QVERIFY(qAbs((frame.top() - available.top()) - (available.bottom() - frame.bottom())) <= 1);
    QCOMPARE(policy.clientGeometry(), frame.marginsRemoved(WindowLayoutPolicy::FrameAllowance));
}

void tst_WindowLayoutPolicy::arrangement_data()
{
    QTest::addColumn<int>("dockArea");
    QTest::addColumn<bool>("sendAboveTabs");
    QTest::addColumn<int>("sendHeight");
    // Send needs 450 and would like 550; the tabs below it need 460.
    QTest::addRow("laptop") << 640 << false << 180;
    QTest::addRow("one pixel short") << 909 << false << 449;
    QTest::addRow("just enough") << 910 << true << 450;
    QTest::addRow("monitor under a title bar") << 970 << true << 510;
    QTest::addRow("all Send would like") << 1010 << true << 550;
    // Room to spare goes to the tabs below Send.
    QTest::addRow("large monitor") << 1200 << true << 550;
    QTest::addRow("no room at all") << 200 << false << 0;
}

void tst_WindowLayoutPolicy::arrangement()
{
    QFETCH(int, dockArea);
    QFETCH(bool, sendAboveTabs);
    QFETCH(int, sendHeight);
    WindowLayoutPolicy::DockHeights heights;
    heights.sendMinimum = 450;
    heights.sendPreferred = 550;
    heights.tabsMinimum = 460;
    QCOMPARE(WindowLayoutPolicy::arrangement(dockArea, heights) == WindowLayoutPolicy::Arrangement::SendAboveTabs,
        sendAboveTabs);
    const int above = WindowLayoutPolicy::sendHeight(dockArea, heights);
    QCOMPARE(above, sendHeight);
    if (sendAboveTabs) {
        QVERIFY(above >= heights.sendMinimum);
        QVERIFY(dockArea - above >= heights.tabsMinimum);
    }
}

void tst_WindowLayoutPolicy::dockWidth_data()
{
    QTest::addColumn<int>("client");
    QTest::addColumn<int>("dockMinimum");
    QTest::addColumn<int>("centralMinimum");
    QTest::addColumn<int>("width");
    QTest::addRow("laptop: the docks' minimum") << 1358 << 498 << 775 << 498;
    QTest::addRow("monitor: a share of the width") << 1792 << 498 << 775 << 627;
    QTest::addRow("share limited by the centre") << 1400 << 300 << 1000 << 400;
    QTest::addRow("too small for both: the docks keep their minimum") << 1100 << 498 << 775 << 498;
}

void tst_WindowLayoutPolicy::dockWidth()
{
    QFETCH(int, client);
    QFETCH(int, dockMinimum);
    QFETCH(int, centralMinimum);
    QFETCH(int, width);
    QCOMPARE(WindowLayoutPolicy::dockWidth(client, dockMinimum, centralMinimum), width);
}

void tst_WindowLayoutPolicy::fitted_data()
{
    QTest::addColumn<QRect>("frame");
    QTest::addColumn<QRect>("available");
    QTest::addColumn<QRect>("expected");
    const QRect laptop(0, 27, 1366, 741);
    QTest::addRow("inside: kept") << QRect(100, 100, 800, 600) << laptop << QRect(100, 100, 800, 600);
    QTest::addRow("saved on a monitor: shrunk") << QRect(0, 0, 1920, 1080) << laptop << laptop;
    QTest::addRow("too tall: shrunk and moved up") << QRect(200, 300, 900, 1000) << laptop << QRect(200, 27, 900, 741);
    QTest::addRow("off the right edge: moved in") << QRect(1000, 100, 800, 600) << laptop << QRect(566, 100, 800, 600);
    QTest::addRow("above the panel: moved down") << QRect(100, 0, 800, 600) << laptop << QRect(100, 27, 800, 600);
    QTest::addRow("left of the screen: moved in") << QRect(-300, 100, 800, 600) << laptop << QRect(0, 100, 800, 600);
    const QRect second(1920, 0, 2560, 1440);
    QTest::addRow("on a second screen: kept") << QRect(2000, 100, 1800, 1000) << second << QRect(2000, 100, 1800, 1000);
    QTest::addRow("half off a second screen: moved in")
        << QRect(3500, 100, 1800, 1000) << second << QRect(2680, 100, 1800, 1000);
}

void tst_WindowLayoutPolicy::fitted()
{
    QFETCH(QRect, frame);
    QFETCH(QRect, available);
    QFETCH(QRect, expected);
    const QRect out = WindowLayoutPolicy::fitted(frame, available);
    QCOMPARE(out, expected);
    QVERIFY(available.contains(out));
}

QTEST_GUILESS_MAIN(tst_WindowLayoutPolicy)
#include "tst_windowlayoutpolicy.moc"
