#pragma once

#include "log/interceptnote.h"
#include "log/wireevent.h"

#include <QAbstractTableModel>
#include <vector>

// The messages a relay holds for the user (Intercept), in arrival order, as its capture's intercept
// notes tell: a Held note adds a row; the note that ends that hold (forwarded, edited by hand,
// dropped, not delivered) removes it. Fed event by event on the GUI thread by the session that owns
// the capture; the relay itself is only ever reached through the session's commands.
class HeldMessagesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { DirectionColumn, TypeColumn, SizeColumn, HeldColumn, PreviewColumn, ColumnCount };
    enum Role { HoldRole = Qt::UserRole + 1, LegRole, OpcodeRole, PayloadRole, SinceRole };

    struct Held {
        Leg from = Leg::None; // the leg whose peer sent it
        quint32 hold = 0;
        quint32 message = 0;
        quint8 opcode = 0;
        bool fin = true; // false: one frame of a message held frame by frame
        QByteArray payload; // as it would go on
        qint64 sinceUs = 0;
    };

    using QAbstractTableModel::QAbstractTableModel;

    // Takes one captured event; only intercept notes matter.
    void note(const WireEvent &event);
    void clear();
    const Held &held(int row) const { return m_rows.at(size_t(row)); }
    int rowOf(Leg from, quint32 hold) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // The "held for" column reads the clock: views call this once a second to refresh it.
    void refreshHeldTimes();

private:
    std::vector<Held> m_rows;
};
