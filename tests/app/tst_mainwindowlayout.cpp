// Shows the real window on a laptop's screen (1366x768) and a monitor's (1920x1080) and checks what
// a user would see: the window fits the screen; no dock lies over another, over the log or over the
// menu and status bars; each dock's pane lies inside its dock; and every button, check box, line
// edit, spin box and combo box, in every dock (each tab raised) and in the centre (each tab shown),
// is inside what is shown or inside a scroll area that can scroll to it, not squeezed below its
// minimum, and clear of its visible siblings. Then View > Reset Layout after a mess, and a layout
// remembered on one screen and opened on another.
//
// A screen's size is fixed when QApplication starts, so each row runs in a child process: this same
// executable, asked for the same function and row, on an offscreen screen of the row's size
// (QT_QPA_PLATFORM=offscreen:configfile=..., which Qt 6.4's offscreen plugin reads).

#include "mainwindow.h"
#include "windowlayoutpolicy.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QProcess>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

namespace {

// Set in a child: the size of the screen it runs on, and for rememberedLayout() its phase and file.
constexpr char ScreenVariable[] = "WSI_TEST_SCREEN";
constexpr char PhaseVariable[] = "WSI_TEST_PHASE";
constexpr char SettingsVariable[] = "WSI_TEST_SETTINGS";

// A scroll area showing less than this cannot be said to let the user reach anything.
constexpr int MinimumViewport = 24;

QString sizeName(const QSize &size)
{
    return QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
}

QString rectName(const QRect &r)
{
    return QStringLiteral("%1x%2+%3+%4").arg(r.width()).arg(r.height()).arg(r.x()).arg(r.y());
}

bool isChild()
{
    return qEnvironmentVariableIsSet(ScreenVariable);
}

QList<QDockWidget *> rightDocks(MainWindow *window)
{
    QList<QDockWidget *> docks;
    for (const char *name : { "sendDock", "closeDock", "serverDock", "conformanceDock", "learnDock", "interceptDock" })
        docks << window->findChild<QDockWidget *>(QString::fromLatin1(name));
    return docks;
}

// Lets posted layout requests run: raising a dock tab or switching a tab relayouts later.
void settle()
{
    for (int i = 0; i < 4; ++i) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
}

QString describe(const QWidget *widget)
{
    QStringList path;
    for (const QWidget *w = widget; w && !qobject_cast<const QMainWindow *>(w); w = w->parentWidget()) {
        if (w != widget && w->objectName().isEmpty())
            continue;
        QString part = QString::fromLatin1(w->metaObject()->className());
        if (!w->objectName().isEmpty())
            part += QLatin1Char('#') + w->objectName();
        if (const auto *button = qobject_cast<const QAbstractButton *>(w); button && !button->text().isEmpty())
            part += QStringLiteral(" \"%1\"").arg(button->text());
        path.prepend(part);
    }
    return path.join(QStringLiteral(" > "));
}

bool isControlType(const QWidget *w)
{
    return qobject_cast<const QAbstractButton *>(w) || qobject_cast<const QLineEdit *>(w)
        || qobject_cast<const QAbstractSpinBox *>(w) || qobject_cast<const QComboBox *>(w);
}

// A control the user operates: not the line edit inside a spin box or an editable combo box.
bool isControl(const QWidget *w, const QWidget *top)
{
    if (!isControlType(w))
        return false;
    for (const QWidget *p = w->parentWidget(); p && p != top; p = p->parentWidget())
        if (isControlType(p))
            return false;
    return true;
}

// A dock tabbed behind another is not hidden: QMainWindow parks it outside the window.
bool isShown(const QDockWidget *dock)
{
    return dock->isVisible() && !dock->isFloating() && !dock->visibleRegion().isEmpty();
}

// Why `control` cannot be reached inside `top`, or an empty string: each step up to `top` must show
// the whole of it, except a scroll area, which shows what it can scroll to.
QString unreachable(const QWidget *control, const QWidget *top)
{
    const QWidget *item = control;
    while (item != top) {
        const QWidget *parent = item->parentWidget();
        if (!parent)
            return QStringLiteral("not inside %1").arg(describe(top));
        const auto *scroll = qobject_cast<const QScrollArea *>(parent->parentWidget());
        if (scroll && scroll->viewport() == parent && scroll->widget() == item) {
            const QSize viewport = scroll->viewport()->size();
            if (viewport.width() < MinimumViewport || viewport.height() < MinimumViewport)
                return QStringLiteral("its scroll area shows only %1").arg(sizeName(viewport));
            if (item->height() > viewport.height() && scroll->verticalScrollBarPolicy() == Qt::ScrollBarAlwaysOff)
                return QStringLiteral("its scroll area cannot scroll down");
            if (item->width() > viewport.width() && scroll->horizontalScrollBarPolicy() == Qt::ScrollBarAlwaysOff)
                return QStringLiteral("its scroll area cannot scroll sideways");
            item = scroll;
            continue;
        }
        const QRect rect(item->pos(), item->size());
        if (!parent->rect().contains(rect))
            return QStringLiteral("%1 at %2 is cut off by %3 (%4)")
                .arg(describe(item), rectName(rect), describe(parent), sizeName(parent->size()));
        item = parent;
    }
    return {};
}

// The controls of `top` as shown now: reachable, not squeezed, not over a sibling.
QStringList controlProblems(const QWidget *top)
{
    QStringList problems;
    QHash<const QWidget *, QList<const QWidget *>> byParent;
    const QList<QWidget *> widgets = top->findChildren<QWidget *>();
    for (const QWidget *w : widgets) {
        if (!w->isVisible())
            continue;
        const bool control = isControl(w, top);
        if (control || qobject_cast<const QLabel *>(w))
            byParent[w->parentWidget()] << w;
        if (!control)
            continue;
        if (const QString why = unreachable(w, top); !why.isEmpty())
            problems << QStringLiteral("%1 cannot be reached: %2").arg(describe(w), why);
        const QSize minimum = w->minimumSizeHint();
        if (minimum.isValid() && (w->width() < minimum.width() || w->height() < minimum.height()))
            problems << QStringLiteral("%1 is squeezed to %2 (needs %3)")
                            .arg(describe(w), sizeName(w->size()), sizeName(minimum));
    }
    for (const QList<const QWidget *> &siblings : std::as_const(byParent)) {
        for (qsizetype i = 0; i < siblings.size(); ++i)
            for (qsizetype j = i + 1; j < siblings.size(); ++j)
                if (siblings[i]->geometry().intersects(siblings[j]->geometry()))
                    problems << QStringLiteral("%1 (%2) overlaps %3 (%4)")
                                    .arg(describe(siblings[i]), rectName(siblings[i]->geometry()),
                                        describe(siblings[j]), rectName(siblings[j]->geometry()));
    }
    return problems;
}

// controlProblems() with each page of each tab widget of `top` shown in turn.
QStringList controlProblemsOnEveryTab(QWidget *top)
{
    QStringList problems = controlProblems(top);
    const QList<QTabWidget *> tabWidgets = top->findChildren<QTabWidget *>();
    for (QTabWidget *tabs : tabWidgets) {
        if (!tabs->isVisible())
            continue;
        const int shown = tabs->currentIndex();
        for (int i = 0; i < tabs->count(); ++i) {
            if (i == shown)
                continue;
            tabs->setCurrentIndex(i);
            settle();
            for (const QString &problem : controlProblems(top))
                problems << QStringLiteral("[tab %1] %2").arg(tabs->tabText(i), problem);
        }
        tabs->setCurrentIndex(shown);
        settle();
    }
    problems.removeDuplicates();
    return problems;
}

} // namespace

class tst_MainWindowLayout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void defaultLayout_data();
    void defaultLayout();
    void resetLayout_data();
    void resetLayout();
    void rememberedLayout_data();
    void rememberedLayout();

private:
    void runInChild(const QSize &screen, const QProcessEnvironment &extra = {});
    void checkWindow(MainWindow *window);

    QTemporaryDir m_dir;
};

void tst_MainWindowLayout::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

// Runs the current function and row in a child process whose only screen is `screen`.
void tst_MainWindowLayout::runInChild(const QSize &screen, const QProcessEnvironment &extra)
{
    const QString config = m_dir.filePath(sizeName(screen) + QStringLiteral(".json"));
    const QJsonObject screenConfig { { QStringLiteral("name"), QStringLiteral("screen") }, { QStringLiteral("x"), 0 },
        { QStringLiteral("y"), 0 }, { QStringLiteral("width"), screen.width() },
        { QStringLiteral("height"), screen.height() }, { QStringLiteral("logicalDpi"), 96 },
        { QStringLiteral("logicalBaseDpi"), 96 }, { QStringLiteral("dpr"), 1.0 } };
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(QJsonObject { { QStringLiteral("screens"), QJsonArray { screenConfig } } }).toJson());
    file.close();

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen:configfile=") + config);
    env.insert(QString::fromLatin1(ScreenVariable), sizeName(screen));
    const QStringList keys = extra.keys();
    for (const QString &key : keys)
        env.insert(key, extra.value(key));

    const QString test = QStringLiteral("%1:%2").arg(
        QString::fromLatin1(QTest::currentTestFunction()), QString::fromLatin1(QTest::currentDataTag()));
    QProcess child;
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(QCoreApplication::applicationFilePath(), { test });
    QVERIFY2(child.waitForFinished(120'000), "the child process did not finish");
    const QByteArray output = child.readAll();
    const QByteArray passed = "PASS   : tst_MainWindowLayout::" + QByteArray(QTest::currentTestFunction()) + '('
        + QTest::currentDataTag() + ')';
    const bool ok = child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0 && output.contains(passed);
    if (!ok) // whole, as QVERIFY2 would cut it short
        std::fprintf(stdout, "--- the child on a %s screen ---\n%s--- end of the child ---\n",
            qPrintable(sizeName(screen)), output.constData());
    QVERIFY2(ok, qPrintable(QStringLiteral("the child on a %1 screen failed").arg(sizeName(screen))));
}

void tst_MainWindowLayout::checkWindow(MainWindow *window)
{
    const QRect available = window->screen()->availableGeometry();
    QVERIFY2(available.contains(window->frameGeometry()),
        qPrintable(QStringLiteral("the window %1 does not fit the screen's %2")
                       .arg(rectName(window->frameGeometry()), rectName(available))));
    // Else a window manager that keeps the window on the screen makes Qt paint docks over each other.
    const QSize room = available.marginsRemoved(WindowLayoutPolicy::FrameAllowance).size();
    QVERIFY2(window->minimumSizeHint().boundedTo(room) == window->minimumSizeHint(),
        qPrintable(QStringLiteral("the window cannot be smaller than %1, more than the screen's %2")
                       .arg(sizeName(window->minimumSizeHint()), sizeName(room))));

    QWidget *central = window->centralWidget();
    QVERIFY2(central->width() >= central->minimumSizeHint().width()
            && central->height() >= central->minimumSizeHint().height(),
        qPrintable(QStringLiteral("the centre is squeezed to %1 (needs %2)")
                       .arg(sizeName(central->size()), sizeName(central->minimumSizeHint()))));

    QStringList problems = controlProblemsOnEveryTab(central);
    const QList<QDockWidget *> docks = window->findChildren<QDockWidget *>();
    for (QDockWidget *raised : docks) {
        if (!raised->toggleViewAction()->isChecked() || raised->isFloating())
            continue;
        raised->raise();
        settle();
        QTRY_VERIFY2(isShown(raised), qPrintable(describe(raised)));

        QList<QWidget *> shown { central, window->menuBar(), window->statusBar() };
        for (QDockWidget *dock : docks) {
            if (!isShown(dock))
                continue;
            const QString context = QStringLiteral("[%1 raised] %2").arg(raised->windowTitle(), dock->windowTitle());
            if (!window->rect().contains(dock->geometry()))
                problems << QStringLiteral("%1 at %2 is outside the window").arg(context, rectName(dock->geometry()));
            for (const QWidget *other : std::as_const(shown))
                if (dock->geometry().intersects(other->geometry()))
                    problems << QStringLiteral("%1 at %2 overlaps %3 at %4")
                                    .arg(context, rectName(dock->geometry()), describe(other),
                                        rectName(other->geometry()));
            shown << dock;
            if (!dock->rect().contains(dock->widget()->geometry()))
                problems << QStringLiteral("%1: its pane %2 does not lie inside the dock (%3)")
                                .arg(context, rectName(dock->widget()->geometry()), sizeName(dock->size()));
            for (const QString &problem : controlProblemsOnEveryTab(dock->widget()))
                problems << QStringLiteral("%1: %2").arg(context, problem);
        }
    }
    problems.removeDuplicates();
    for (const QString &problem : std::as_const(problems))
        qWarning("%s", qPrintable(problem));
    QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("%1 problems, listed above").arg(problems.size())));
}

void tst_MainWindowLayout::defaultLayout_data()
{
    QTest::addColumn<QSize>("screen");
    QTest::addColumn<bool>("sendAboveTabs");
    QTest::addRow("1366x768") << QSize(1366, 768) << false;
    QTest::addRow("1920x1080") << QSize(1920, 1080) << true;
}

void tst_MainWindowLayout::defaultLayout()
{
    QFETCH(QSize, screen);
    QFETCH(bool, sendAboveTabs);
    if (!isChild()) {
        runInChild(screen);
        return;
    }
    QCOMPARE(QGuiApplication::primaryScreen()->size(), screen);

    QSettings settings(QDir(m_dir.path()).filePath(QStringLiteral("fresh.ini")), QSettings::IniFormat);
    MainWindow window(&settings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    settle();
    checkWindow(&window);
    if (QTest::currentTestFailed())
        return;

    const QList<QDockWidget *> docks = rightDocks(&window);
    QVERIFY(!docks.contains(nullptr));
    for (QDockWidget *dock : docks) {
        QCOMPARE(window.dockWidgetArea(dock), Qt::RightDockWidgetArea);
        QVERIFY(dock->toggleViewAction()->isChecked());
    }
    // A laptop tabs every dock and shows Send; a monitor has room for Send above the others.
    QCOMPARE(window.tabifiedDockWidgets(docks[0]).isEmpty(), sendAboveTabs);
    QCOMPARE(window.tabifiedDockWidgets(docks[1]).size(), sendAboveTabs ? 4 : 5);
    QVERIFY(docks[0]->isVisible());
    // The log and the details of the selected row keep a usable share of the window.
    QVERIFY2(
        window.centralWidget()->width() >= window.width() / 2, qPrintable(sizeName(window.centralWidget()->size())));
}

void tst_MainWindowLayout::resetLayout_data()
{
    QTest::addColumn<QSize>("screen");
    QTest::addRow("1366x768") << QSize(1366, 768);
    QTest::addRow("1920x1080") << QSize(1920, 1080);
}

void tst_MainWindowLayout::resetLayout()
{
    QFETCH(QSize, screen);
    if (!isChild()) {
        runInChild(screen);
        return;
    }
    QCOMPARE(QGuiApplication::primaryScreen()->size(), screen);

    QSettings settings(QDir(m_dir.path()).filePath(QStringLiteral("reset.ini")), QSettings::IniFormat);
    MainWindow window(&settings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QList<QDockWidget *> docks = rightDocks(&window);
    QVERIFY(!docks.contains(nullptr));

    // A mess: Send floating, Close closed, Learn on the left, the Probe beside the server, a small window.
    docks[0]->setFloating(true);
    docks[1]->close();
    window.addDockWidget(Qt::LeftDockWidgetArea, docks[4]);
    window.splitDockWidget(docks[2], docks[3], Qt::Horizontal);
    window.setGeometry(QRect(300, 200, 900, 500));
    settle();

    auto *reset = window.findChild<QAction *>(QStringLiteral("resetLayout"));
    QVERIFY(reset);
    reset->trigger();
    settle();

    for (QDockWidget *dock : docks) {
        QVERIFY2(!dock->isFloating(), qPrintable(describe(dock)));
        QVERIFY2(dock->toggleViewAction()->isChecked(), qPrintable(describe(dock)));
        QCOMPARE(window.dockWidgetArea(dock), Qt::RightDockWidgetArea);
    }
    const WindowLayoutPolicy policy(window.screen()->availableGeometry());
    QTRY_COMPARE(window.geometry(), policy.clientGeometry());
    checkWindow(&window);
}

void tst_MainWindowLayout::rememberedLayout_data()
{
    QTest::addColumn<QSize>("savedOn");
    QTest::addColumn<QSize>("openedOn");
    QTest::addColumn<QString>("saved");
    QTest::addColumn<bool>("keptDocks");
    // Qt itself refuses a geometry saved on a screen over 25 % wider or narrower...
    QTest::addRow("1920x1080-on-1366x768")
        << QSize(1920, 1080) << QSize(1366, 768) << QStringLiteral("whole screen") << false;
    // ...but takes one from a screen a little larger: it is shrunk, and the docks, arranged for
    // more room, are arranged again for this screen.
    QTest::addRow("1600x1000-on-1366x768")
        << QSize(1600, 1000) << QSize(1366, 768) << QStringLiteral("whole screen") << false;
    // More room than the docks were arranged for: the user's arrangement stays.
    QTest::addRow("1366x768-on-1920x1080")
        << QSize(1366, 768) << QSize(1920, 1080) << QStringLiteral("Learn closed") << true;
    QTest::addRow("1920x1080-on-1920x1080")
        << QSize(1920, 1080) << QSize(1920, 1080) << QStringLiteral("Learn closed") << true;
    // Every dock above the next needs more height than the screen has: the window grew past it.
    QTest::addRow("stacked-on-1366x768") << QSize(1366, 768) << QSize(1366, 768) << QStringLiteral("docks stacked")
                                         << false;
}

void tst_MainWindowLayout::rememberedLayout()
{
    QFETCH(QSize, savedOn);
    QFETCH(QSize, openedOn);
    QFETCH(QString, saved);
    QFETCH(bool, keptDocks);
    if (!isChild()) {
        const QString file = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()) + QStringLiteral(".ini"));
        QProcessEnvironment env;
        env.insert(QString::fromLatin1(SettingsVariable), file);
        env.insert(QString::fromLatin1(PhaseVariable), QStringLiteral("save"));
        runInChild(savedOn, env);
        if (QTest::currentTestFailed())
            return;
        env.insert(QString::fromLatin1(PhaseVariable), QStringLiteral("open"));
        runInChild(openedOn, env);
        return;
    }
    const bool saving = qgetenv(PhaseVariable) == "save";
    QCOMPARE(QGuiApplication::primaryScreen()->size(), saving ? savedOn : openedOn);
    QSettings settings(qEnvironmentVariable(SettingsVariable), QSettings::IniFormat);
    const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
    const QRect learnClosedGeometry = available.adjusted(100, 80, -120, -100);

    MainWindow window(&settings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QList<QDockWidget *> docks = rightDocks(&window);
    QVERIFY(!docks.contains(nullptr));
    if (!saving) {
        checkWindow(&window);
        if (QTest::currentTestFailed())
            return;
        if (keptDocks) {
            QVERIFY(!docks[4]->toggleViewAction()->isChecked());
            if (savedOn == openedOn)
                QCOMPARE(window.geometry(), learnClosedGeometry);
        } else {
            // The default for this screen (each such row opens on a laptop): every dock tabbed.
            for (QDockWidget *dock : docks)
                QVERIFY2(dock->toggleViewAction()->isChecked(), qPrintable(describe(dock)));
            QCOMPARE(window.tabifiedDockWidgets(docks[0]).size(), docks.size() - 1);
        }
        return;
    }

    if (saved == QStringLiteral("Learn closed")) {
        window.setGeometry(learnClosedGeometry);
        docks[4]->close();
    } else if (saved == QStringLiteral("whole screen")) {
        window.setGeometry(available);
    } else {
        for (QDockWidget *dock : docks)
            window.removeDockWidget(dock);
        for (QDockWidget *dock : docks) {
            window.addDockWidget(Qt::RightDockWidgetArea, dock, Qt::Vertical);
            dock->show();
        }
        settle();
        QVERIFY2(window.frameGeometry().height() > available.height(), "the docks were meant to need more room");
    }
    settle();
    QVERIFY(window.close());
    QVERIFY(settings.contains(QStringLiteral("window/state")));
}

QTEST_MAIN(tst_MainWindowLayout)
#include "tst_mainwindowlayout.moc"
