#pragma once

#include <QScrollArea>

// A frameless scroll area for a pane in a dock or a tab: never narrower than the pane allows (it is
// not squeezed sideways), but as short as a dock may get. The pane fills the area while it can;
// with less room it shrinks to its minimum height for the width (where QScrollArea's own resizing
// would keep it at its preferred height), and only then scrolls. Without it a tall pane's minimum
// height adds up with its neighbours' until the window cannot fit the screen, and Qt paints docks
// over each other.
class PaneScrollArea : public QScrollArea {
    Q_OBJECT
public:
    explicit PaneScrollArea(QWidget *pane, QWidget *parent = nullptr);

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    bool event(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fitPane();
    int minimumHeightFor(int width) const;
};
