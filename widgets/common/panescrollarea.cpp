#include "common/panescrollarea.h"

#include <QEvent>
#include <QLayout>
#include <QScrollBar>

PaneScrollArea::PaneScrollArea(QWidget *pane, QWidget *parent)
    : QScrollArea(parent)
{
    setFrameShape(QFrame::NoFrame);
    setWidget(pane);
    // The pane's minimum size can change (a row appears): the area refits it, and the dock follows.
    pane->installEventFilter(this);
}

QSize PaneScrollArea::minimumSizeHint() const
{
    const QSize base = QScrollArea::minimumSizeHint();
    if (!widget())
        return base;
    // Room for the vertical scroll bar, so that scrolling never needs the horizontal one too.
    const int width = widget()->minimumSizeHint().width() + verticalScrollBar()->sizeHint().width() + 2 * frameWidth();
    return { qMax(base.width(), width), base.height() };
}

QSize PaneScrollArea::sizeHint() const
{
    if (!widget())
        return QScrollArea::sizeHint();
    // QScrollArea caps its hint at a few dozen lines; a dock asks for the whole pane.
    const QSize pane = widget()->sizeHint().expandedTo(widget()->minimumSizeHint());
    return { pane.width() + verticalScrollBar()->sizeHint().width() + 2 * frameWidth(),
        pane.height() + 2 * frameWidth() };
}

bool PaneScrollArea::event(QEvent *event)
{
    if (event->type() == QEvent::LayoutRequest)
        fitPane();
    return QScrollArea::event(event);
}

void PaneScrollArea::resizeEvent(QResizeEvent *event)
{
    QScrollArea::resizeEvent(event);
    fitPane();
}

bool PaneScrollArea::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == widget() && event->type() == QEvent::LayoutRequest) {
        updateGeometry();
        fitPane();
    }
    return QScrollArea::eventFilter(watched, event);
}

int PaneScrollArea::minimumHeightFor(int width) const
{
    const QLayout *layout = widget()->layout();
    if (layout && layout->hasHeightForWidth())
        return layout->totalMinimumHeightForWidth(width); // wrapped labels need more height when narrow
    return widget()->minimumSizeHint().height();
}

void PaneScrollArea::fitPane()
{
    QWidget *pane = widget();
    if (!pane)
        return;
    const QSize room = maximumViewportSize(); // without scroll bars
    const int minimumWidth = pane->minimumSizeHint().width();
    int width = qMax(room.width(), minimumWidth);
    int height = minimumHeightFor(width);
    if (height > room.height()) { // it will scroll: the vertical bar takes some of the width
        width = qMax(room.width() - verticalScrollBar()->sizeHint().width(), minimumWidth);
        height = minimumHeightFor(width);
    }
    pane->resize(QSize(width, qMax(height, room.height())).boundedTo(pane->maximumSize()));
}
