#pragma once

#include <QRegularExpression>
#include <QSet>
#include <QSortFilterProxyModel>

class MessageLogModel;

// Filters the message log by direction, by type and by text or regular expression over the whole
// payload (not only the preview). The source must be a MessageLogModel: the search reads payloads
// through MessageLogModel::eventAt(), without copying them into QVariants.
class MessageLogFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class SearchMode { PlainText, RegularExpression };

    explicit MessageLogFilter(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;

    // Directions to show (Direction values); all by default.
    void setDirectionVisible(int direction, bool visible);
    bool isDirectionVisible(int direction) const;
    // Type names as MessageLogModel::typeName() gives them; an empty set shows every type.
    void setVisibleTypes(const QSet<QString> &types);
    QSet<QString> visibleTypes() const { return m_types; }
    // Plain text is matched case-insensitively. Returns false (and keeps the previous filter) when
    // a regular expression does not compile; searchError() then says why.
    bool setSearch(const QString &text, SearchMode mode);
    QString searchError() const { return m_searchError; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool payloadMatches(QByteArrayView payload) const;

    MessageLogModel *m_log = nullptr;
    quint8 m_directions = 0x7;
    QSet<QString> m_types;
    QString m_search;
    QByteArray m_searchLowerUtf8; // for ASCII needles: byte search without decoding payloads
    bool m_searchIsAscii = true;
    SearchMode m_mode = SearchMode::PlainText;
    QRegularExpression m_regex;
    QString m_searchError;
};
