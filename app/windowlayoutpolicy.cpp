#include "windowlayoutpolicy.h"

#include <QtGlobal>

#include <cmath>

WindowLayoutPolicy::WindowLayoutPolicy(const QRect &available)
    : m_available(available)
{
}

QRect WindowLayoutPolicy::frameGeometry() const
{
    const QSize size = m_available.size().boundedTo(MaximumWindowSize);
    QRect frame(QPoint(), size);
    frame.moveCenter(m_available.center());
    return fitted(frame, m_available); // centring an odd size may leave it a pixel outside
}

QRect WindowLayoutPolicy::clientGeometry() const
{
    return frameGeometry().marginsRemoved(FrameAllowance);
}

WindowLayoutPolicy::Arrangement WindowLayoutPolicy::arrangement(int dockAreaHeight, const DockHeights &heights)
{
    return dockAreaHeight >= heights.sendMinimum + heights.tabsMinimum ? Arrangement::SendAboveTabs
                                                                       : Arrangement::AllTabbed;
}

int WindowLayoutPolicy::sendHeight(int dockAreaHeight, const DockHeights &heights)
{
    return qMax(0, qMin(heights.sendPreferred, dockAreaHeight - heights.tabsMinimum));
}

int WindowLayoutPolicy::dockWidth(int clientWidth, int dockMinimum, int centralMinimum)
{
    const int share = int(std::lround(clientWidth * DockWidthShare));
    return qMax(dockMinimum, qMin(share, clientWidth - centralMinimum));
}

QRect WindowLayoutPolicy::fitted(const QRect &frame, const QRect &available)
{
    QRect out(frame.topLeft(), frame.size().boundedTo(available.size()));
    if (out.right() > available.right())
        out.moveRight(available.right());
    if (out.bottom() > available.bottom())
        out.moveBottom(available.bottom());
    if (out.left() < available.left())
        out.moveLeft(available.left());
    if (out.top() < available.top())
        out.moveTop(available.top());
    return out;
}
