#include "inspect/headerseditor.h"

#include <QApplication>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QStyle>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

enum Column { NameColumn, ValueColumn };

bool isTokenChar(QChar c)
{
    if (c.unicode() > 0x7E)
        return false;
    const char ch = char(c.unicode());
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
        || QByteArrayView("!#$%&'*+-.^_`|~").contains(ch);
}

QString describeChar(QChar c)
{
    if (c == QLatin1Char(' '))
        return HeadersEditor::tr("a space");
    if (c.unicode() < 0x20 || c.unicode() == 0x7F)
        return HeadersEditor::tr("control character \\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
    return QStringLiteral("\"%1\"").arg(c);
}

// Headers Handshake::buildRequest always writes itself: extra ones of these names are left out.
bool writtenByHandshake(const QString &name)
{
    static const QStringList names { QStringLiteral("Host"), QStringLiteral("Upgrade"), QStringLiteral("Connection"),
        QStringLiteral("Sec-WebSocket-Key"), QStringLiteral("Sec-WebSocket-Version") };
    return names.contains(name, Qt::CaseInsensitive);
}

QString cellText(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text() : QString();
}

} // namespace

HeadersEditor::HeadersEditor(QWidget *parent)
    : QWidget(parent)
    , m_origin(new QLineEdit(this))
    , m_table(new QTableWidget(0, 2, this))
    , m_add(new QToolButton(this))
    , m_remove(new QToolButton(this))
    , m_issues(new QLabel(this))
{
    m_origin->setObjectName(QStringLiteral("origin"));
    m_origin->setPlaceholderText(tr("none, e.g. https://example.com"));
    m_origin->setToolTip(tr("Sent as the Origin header when not empty; browsers always send one, "
                            "and some servers refuse connections without it."));
    m_origin->setClearButtonEnabled(true);

    m_table->setObjectName(QStringLiteral("headers"));
    m_table->setHorizontalHeaderLabels({ tr("Name"), tr("Value") });
    m_table->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->resizeSection(NameColumn, fontMetrics().horizontalAdvance(QLatin1Char('M')) * 14);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
        | QAbstractItemView::AnyKeyPressed | QAbstractItemView::SelectedClicked);
    m_table->setTabKeyNavigation(true);
    m_table->setToolTip(tr("Extra request headers, sent in this order after the standard ones. "
                           "Delete removes the selected rows."));
    m_table->installEventFilter(this);
    // Room for three to five rows: the editor sits inside the connection bar and must not crowd the log.
    const int rowHeight = m_table->verticalHeader()->defaultSectionSize();
    const int chrome = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth();
    m_table->setMinimumHeight(chrome + rowHeight * 3);
    m_table->setMaximumHeight(chrome + rowHeight * 5);

    m_add->setObjectName(QStringLiteral("addHeader"));
    m_add->setText(tr("&Add"));
    m_add->setToolTip(tr("Add a header row"));
    m_add->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_remove->setObjectName(QStringLiteral("removeHeader"));
    m_remove->setText(tr("&Remove"));
    m_remove->setToolTip(tr("Remove the selected header rows (Delete)"));
    m_remove->setToolButtonStyle(Qt::ToolButtonTextOnly);

    m_issues->setObjectName(QStringLiteral("headerIssues"));
    m_issues->setTextFormat(Qt::PlainText);
    m_issues->setWordWrap(true);
    m_issues->hide();

    auto *originForm = new QFormLayout;
    originForm->setContentsMargins(0, 0, 0, 0);
    originForm->addRow(tr("&Origin:"), m_origin);

    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch();

    auto *tableRow = new QHBoxLayout;
    tableRow->addWidget(m_table, 1);
    tableRow->addLayout(buttons);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(originForm);
    layout->addLayout(tableRow, 1);
    layout->addWidget(m_issues);

    connect(m_add, &QToolButton::clicked, this, &HeadersEditor::addHeader);
    connect(m_remove, &QToolButton::clicked, this, &HeadersEditor::removeSelected);
    connect(m_table, &QTableWidget::itemChanged, this, [this] {
        validate();
        Q_EMIT changed();
    });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &HeadersEditor::updateButtons);
    connect(m_origin, &QLineEdit::textChanged, this, [this] {
        validate();
        Q_EMIT changed();
    });
    updateButtons();
}

HttpHeaders HeadersEditor::headers() const
{
    HttpHeaders result;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString name = cellText(m_table, row, NameColumn).trimmed();
        const QString value = cellText(m_table, row, ValueColumn);
        if (name.isEmpty() && value.isEmpty())
            continue;
        result.append(HttpHeader { name.toUtf8(), value.trimmed().toUtf8() });
    }
    return result;
}

void HeadersEditor::setHeaders(const HttpHeaders &headers)
{
    {
        const QSignalBlocker blocker(m_table);
        m_table->setRowCount(0);
        for (const HttpHeader &header : headers) {
            const int row = m_table->rowCount();
            m_table->insertRow(row);
            m_table->setItem(row, NameColumn, new QTableWidgetItem(QString::fromUtf8(header.name)));
            m_table->setItem(row, ValueColumn, new QTableWidgetItem(QString::fromUtf8(header.value)));
        }
    }
    validate();
    updateButtons();
    Q_EMIT changed();
}

QString HeadersEditor::origin() const
{
    return m_origin->text().trimmed();
}

void HeadersEditor::setOrigin(const QString &origin)
{
    m_origin->setText(origin);
}

QString HeadersEditor::nameProblem(const QString &name)
{
    if (name.isEmpty())
        return tr("header without a name");
    for (const QChar c : name) {
        if (!isTokenChar(c))
            return tr("header name \"%1\" is not an HTTP token: %2 is not allowed").arg(name, describeChar(c));
    }
    return QString();
}

QString HeadersEditor::valueProblem(const QString &name, const QString &value)
{
    for (const QChar c : value) {
        if (c == QLatin1Char('\r') || c == QLatin1Char('\n') || c.unicode() == 0)
            return tr("value of \"%1\" contains %2, which would break the request's lines").arg(name, describeChar(c));
    }
    return QString();
}

QString HeadersEditor::problem() const
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString name = cellText(m_table, row, NameColumn).trimmed();
        const QString value = cellText(m_table, row, ValueColumn);
        if (name.isEmpty() && value.isEmpty())
            continue;
        QString p = nameProblem(name);
        if (p.isEmpty())
            p = valueProblem(name, value);
        if (!p.isEmpty())
            return p;
    }
    return QString();
}

void HeadersEditor::validate()
{
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    QStringList issues;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        QTableWidgetItem *nameItem = m_table->item(row, NameColumn);
        if (!nameItem)
            continue;
        const QString name = nameItem->text().trimmed();
        const QString value = cellText(m_table, row, ValueColumn);
        QString issue;
        if (!name.isEmpty() || !value.isEmpty())
            issue = nameProblem(name);
        if (issue.isEmpty())
            issue = valueProblem(name, value);
        if (issue.isEmpty() && writtenByHandshake(name))
            issue = tr("%1 is written by the handshake itself; this row is not sent").arg(name);
        if (issue.isEmpty() && name.compare(QLatin1String("Origin"), Qt::CaseInsensitive) == 0 && !origin().isEmpty())
            issue = tr("the Origin field is set; this row is not sent");

        const QSignalBlocker blocker(m_table); // decorating an item is not an edit
        nameItem->setIcon(issue.isEmpty() ? QIcon() : warning);
        // Escaped: tool tips guess at rich text, and the name is whatever was typed.
        nameItem->setToolTip(issue.isEmpty() ? QString() : QStringLiteral("<p>%1</p>").arg(issue.toHtmlEscaped()));
        if (!issue.isEmpty())
            issues << tr("Row %1: %2").arg(row + 1).arg(issue);
    }
    m_issues->setText(issues.join(QLatin1Char('\n')));
    m_issues->setVisible(!issues.isEmpty());
}

void HeadersEditor::addHeader()
{
    const int row = m_table->rowCount();
    {
        const QSignalBlocker blocker(m_table);
        m_table->insertRow(row);
        m_table->setItem(row, NameColumn, new QTableWidgetItem);
        m_table->setItem(row, ValueColumn, new QTableWidgetItem);
    }
    m_table->setFocus();
    m_table->setCurrentCell(row, NameColumn);
    m_table->editItem(m_table->item(row, NameColumn));
    updateButtons();
}

void HeadersEditor::removeSelected()
{
    QList<int> rows;
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows.append(index.row());
    if (rows.isEmpty() && m_table->currentRow() >= 0)
        rows.append(m_table->currentRow());
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    for (const int row : std::as_const(rows))
        m_table->removeRow(row);
    validate();
    updateButtons();
    Q_EMIT changed();
}

void HeadersEditor::updateButtons()
{
    m_remove->setEnabled(m_table->rowCount() > 0 && m_table->currentRow() >= 0);
}

bool HeadersEditor::eventFilter(QObject *watched, QEvent *event)
{
    // While a cell is edited its editor has the focus, so Delete here never cuts into typing.
    if (watched == m_table && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Delete) {
            removeSelected();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}
