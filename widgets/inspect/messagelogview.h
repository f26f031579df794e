#pragma once

#include <QTimer>
#include <QWidget>

class MessageLogModel;
class MessageLogFilter;
class QCheckBox;
class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;
class QMenu;
class QAction;

// The message log pane: the table of every event of one connection, a filter bar (direction, type,
// text or regular expression over whole payloads), Pause, Clear, and auto-scroll that follows new
// rows only while the user is at the bottom (scrolling up stops it; returning to the bottom resumes).
class MessageLogView : public QWidget {
    Q_OBJECT
public:
    explicit MessageLogView(QWidget *parent = nullptr);
    ~MessageLogView() override;

    // The model belongs to the caller (one per connection); nullptr shows an empty log.
    void setLogModel(MessageLogModel *model);
    MessageLogModel *logModel() const { return m_model; }
    MessageLogFilter *filter() const { return m_filter; }
    QTableView *table() const { return m_table; }

    // Capture index of the selected event, -1 if none.
    qsizetype selectedEvent() const;
    // Selects the row showing this capture index (if the filter shows it).
    void selectEvent(qsizetype captureIndex);

    // How long typing must pause before the search runs (Enter runs it at once).
    static constexpr int SearchDelayMs = 250;
    // Puts the keyboard in the search box (Log > Find).
    void focusSearch();

    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);
    bool isFollowing() const { return m_following; }

Q_SIGNALS:
    void eventSelected(qsizetype captureIndex); // -1 when the selection is cleared
    void clearRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showColumnMenu(const QPoint &pos);
    void fitColumns();
    void onRowsInserted();
    void onScrolled(int value);
    void applySearch();
    void updateTypeFilter();
    void updateCountLabel();
    // The protocol on top: the Decode button's text and menu, and the Message column.
    void updateDecoding();
    void chooseDecoding(QAction *action);

    MessageLogModel *m_model = nullptr;
    MessageLogFilter *m_filter = nullptr;
    QTableView *m_table = nullptr;
    QCheckBox *m_showIn = nullptr;
    QCheckBox *m_showOut = nullptr;
    QCheckBox *m_showLocal = nullptr;
    QToolButton *m_typeButton = nullptr;
    QToolButton *m_decodeButton = nullptr;
    QMenu *m_decodeMenu = nullptr;
    QMenu *m_typeMenu = nullptr;
    QLineEdit *m_search = nullptr;
    QTimer m_searchDelay;
    QList<int> m_columnWidths; // of the columns before the preview, when shown
    bool m_columnsChosen = false; // the user picked columns: stop fitting them to the width
    QCheckBox *m_regex = nullptr;
    QLabel *m_searchError = nullptr;
    QToolButton *m_pause = nullptr;
    QLabel *m_count = nullptr;
    bool m_paused = false;
    bool m_following = true;
    bool m_autoScrolling = false;
};
