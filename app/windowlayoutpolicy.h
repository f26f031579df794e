#pragma once

#include <QMargins>
#include <QRect>
#include <QSize>

// Where the window opens and how its right-hand docks are arranged, from the available area of the
// screen it opens on (1366x768 is a real laptop). Pure arithmetic, so that it can be tested without
// a screen; MainWindow measures its widgets and applies the answers.
class WindowLayoutPolicy {
public:
    enum class Arrangement {
        AllTabbed, // Send, Close, Embedded server, Conformance and Learn share the whole height
        SendAboveTabs, // Send on top, the others tabbed below it
    };

    // Beyond this the log and the docks only get emptier: larger screens keep some desktop.
    static constexpr QSize MaximumWindowSize { 1800, 1120 };
    // Before the window is shown its frame is unknown: allow for a typical title bar and borders.
    static constexpr QMargins FrameAllowance { 4, 36, 4, 4 };
    // Share of the window's width the right-hand docks take when there is room to spare.
    static constexpr double DockWidthShare = 0.35;

    explicit WindowLayoutPolicy(const QRect &available);

    QRect available() const { return m_available; }
    // The window's frame on first start: the available area up to MaximumWindowSize, centred.
    QRect frameGeometry() const;
    // frameGeometry() without FrameAllowance: what QWidget::setGeometry takes.
    QRect clientGeometry() const;

    // What the right-hand docks need, as the window measures them.
    struct DockHeights {
        int sendMinimum = 0; // Send showing its composer without scrolling
        int sendPreferred = 0; // Send at its composer's size hint
        int tabsMinimum = 0; // the other docks, tabbed, each showing its pane without scrolling
    };
    // `dockAreaHeight`: the height the docks get (the client height less menu and status bars).
    // Send goes above the others when both can be shown without scrolling.
    static Arrangement arrangement(int dockAreaHeight, const DockHeights &heights);
    // Send's height above the tabs: what it would like, leaving the tabs their minimum; any room
    // to spare goes to the tabs (the server's clients and log, the probe report, the Learn text).
    static int sendHeight(int dockAreaHeight, const DockHeights &heights);
    // The docks' width: DockWidthShare of `clientWidth`, at least `dockMinimum`, and leaving the
    // central widget at least `centralMinimum` when both can be had.
    static int dockWidth(int clientWidth, int dockMinimum, int centralMinimum);

    // `frame` moved, and shrunk if needed, so that it lies inside `available`.
    static QRect fitted(const QRect &frame, const QRect &available);

private:
    QRect m_available;
};
