#pragma once

#include "protocol/handshake.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableWidget;
class QToolButton;

// Extra request headers for the opening handshake: an Origin field and a name/value table.
// Names that are not HTTP tokens and values that would break the request's lines are flagged
// (problem() says why); headers the handshake writes itself are noted, since they are left out.
class HeadersEditor : public QWidget {
    Q_OBJECT
public:
    explicit HeadersEditor(QWidget *parent = nullptr);

    // Rows with a name, in table order; a row with neither name nor value is ignored.
    HttpHeaders headers() const;
    void setHeaders(const HttpHeaders &headers);
    QString origin() const;
    void setOrigin(const QString &origin);

    // The first thing that keeps the headers from being sent as shown; empty when there is none.
    QString problem() const;

    // Empty when `name` is an HTTP token (RFC 9110 §5.6.2); otherwise why not.
    static QString nameProblem(const QString &name);
    // Empty unless the value holds a CR, LF or NUL, which would end or corrupt the header line.
    static QString valueProblem(const QString &name, const QString &value);

public Q_SLOTS:
    // Appends an empty row and starts editing its name.
    void addHeader();
    void removeSelected();

Q_SIGNALS:
    void changed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void validate();
    void updateButtons();

    QLineEdit *m_origin;
    QTableWidget *m_table;
    QToolButton *m_add;
    QToolButton *m_remove;
    QLabel *m_issues;
};
