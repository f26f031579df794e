#include "probe/conformancecatalogue.h"
#include "protocol/frame.h"

#include <QCryptographicHash>
#include <QProcess>
#include <QSet>
#include <QTest>

using namespace Conformance;

class tst_ConformanceCatalogue : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sectionSizes_data();
    void sectionSizes();
    void idsAreUniqueAndInOrder();
    void everyCaseIsComplete();
    void framesAreTheCatalogues_data();
    void framesAreTheCatalogues();
    void failFastSplitsWhereTheTextTurnsInvalid();
    void closeCodes();
    void utf8ValidityAgreesWithPython();
    void timedCases();
    void compressionCases_data();
    void compressionCases();
    void compressionData();
    void select_data();
    void select();
    void selectErrors_data();
    void selectErrors();
    void titles();
    void forRun_data();
    void forRun();
};

static QList<Case> casesOf(const QString &prefix)
{
    QList<Case> list;
    for (const Case &c : ConformanceCatalogue::all())
        if (c.id.startsWith(prefix))
            list << c;
    return list;
}

void tst_ConformanceCatalogue::sectionSizes_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<int>("count");
    // As Autobahn|Testsuite numbers them, so that results compare line by line.
    QTest::addRow("1") << "1." << 16;
    QTest::addRow("2") << "2." << 11;
    QTest::addRow("3") << "3." << 7;
    QTest::addRow("4") << "4." << 10;
    QTest::addRow("5") << "5." << 20;
    QTest::addRow("6") << "6." << 145;
    QTest::addRow("6.5 valid sequences") << "6.5." << 5;
    QTest::addRow("6.6 prefixes") << "6.6." << 11;
    QTest::addRow("6.12 continuations") << "6.12." << 8;
    QTest::addRow("6.22 non-characters") << "6.22." << 34;
    QTest::addRow("6.23 specials") << "6.23." << 7;
    QTest::addRow("7") << "7." << 37;
    QTest::addRow("7.7 valid codes") << "7.7." << 13;
    QTest::addRow("7.9 invalid codes") << "7.9." << 9;
    QTest::addRow("9") << "9." << 54;
    QTest::addRow("10") << "10." << 1;
    QTest::addRow("12") << "12." << 90;
    QTest::addRow("12.3 one data set") << "12.3." << 18;
    QTest::addRow("13") << "13." << 126;
    QTest::addRow("13.7 three offers") << "13.7." << 18;
}

void tst_ConformanceCatalogue::sectionSizes()
{
    QFETCH(QString, prefix);
    QFETCH(int, count);
    QCOMPARE(casesOf(prefix).size(), count);
}

void tst_ConformanceCatalogue::idsAreUniqueAndInOrder()
{
    const QList<Case> &all = ConformanceCatalogue::all();
    QCOMPARE(all.size(), 517); // Autobahn's count
    QSet<QString> seen;
    for (qsizetype i = 0; i < all.size(); ++i) {
        QVERIFY2(!seen.contains(all[i].id), qPrintable(all[i].id));
        seen.insert(all[i].id);
        if (i > 0)
            QVERIFY2(idLessThan(all[i - 1].id, all[i].id), qPrintable(all[i - 1].id + QStringLiteral(" / ") + all[i].id));
        QCOMPARE(ConformanceCatalogue::byId(all[i].id), &all[i]);
    }
    QVERIFY(idLessThan(QStringLiteral("6.4.1"), QStringLiteral("6.10.1")));
    QVERIFY(!idLessThan(QStringLiteral("9.10"), QStringLiteral("9.7.1")));
    QCOMPARE(ConformanceCatalogue::byId(QStringLiteral("8.1")), nullptr);
}

void tst_ConformanceCatalogue::everyCaseIsComplete()
{
    for (const Case &c : ConformanceCatalogue::all()) {
        QVERIFY2(!c.description.isEmpty() && !c.expectation.isEmpty(), qPrintable(c.id));
        QVERIFY2(c.workload || !c.steps.isEmpty(), qPrintable(c.id));
        QVERIFY2(c.workload || !c.expected.isEmpty(), qPrintable(c.id));
        QVERIFY2(c.ending.afterMs > 0, qPrintable(c.id));
        // A case where the peer must fail the connection never has the tester close politely first.
        if (!c.close.closedByTester)
            QVERIFY2(c.close.codes.contains(1002) || c.close.codes.contains(1007), qPrintable(c.id));
        for (const Step &s : c.steps)
            if (s.kind == Step::Kind::Send || s.kind == Step::Kind::SendPart)
                QVERIFY2(s.frame.mask && s.frame.maskingKey, qPrintable(c.id)); // client frames are masked
    }
}

void tst_ConformanceCatalogue::framesAreTheCatalogues_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("step");
    QTest::addColumn<QByteArray>("header"); // the frame's first two bytes (FIN/RSV/opcode, MASK/length)
    QTest::addColumn<qsizetype>("payloadSize");
    QTest::addColumn<int>("chop");
    QTest::addRow("1.1.3 16-bit length") << "1.1.3" << 0 << QByteArray::fromHex("81fe") << qsizetype(126) << 0;
    QTest::addRow("1.2.7 64-bit length") << "1.2.7" << 0 << QByteArray::fromHex("82ff") << qsizetype(65536) << 0;
    QTest::addRow("1.2.8 chops of 997") << "1.2.8" << 0 << QByteArray::fromHex("82ff") << qsizetype(65536) << 997;
    QTest::addRow("2.5 ping of 126") << "2.5" << 0 << QByteArray::fromHex("89fe") << qsizetype(126) << 0;
    QTest::addRow("2.6 byte by byte") << "2.6" << 0 << QByteArray::fromHex("89fd") << qsizetype(125) << 1;
    QTest::addRow("3.1 RSV = 1 (the RSV3 bit)") << "3.1" << 0 << QByteArray::fromHex("918d") << qsizetype(13) << 0;
    QTest::addRow("3.4 RSV = 4 (the RSV1 bit), byte by byte") << "3.4" << 1 << QByteArray::fromHex("c18d") << qsizetype(13) << 1;
    QTest::addRow("3.7 close with RSV 7") << "3.7" << 0 << QByteArray::fromHex("f880") << qsizetype(0) << 0;
    QTest::addRow("4.2.5 opcode 15") << "4.2.5" << 1 << QByteArray::fromHex("8f8d") << qsizetype(13) << 1;
    QTest::addRow("5.1 fragmented ping") << "5.1" << 0 << QByteArray::fromHex("0989") << qsizetype(9) << 0;
    QTest::addRow("5.18 text twice") << "5.18" << 1 << QByteArray::fromHex("8189") << qsizetype(9) << 0;
    QTest::addRow("7.3.2 one-byte close") << "7.3.2" << 0 << QByteArray::fromHex("8881") << qsizetype(1) << 0;
    QTest::addRow("7.3.6 close of 126") << "7.3.6" << 0 << QByteArray::fromHex("88fe") << qsizetype(126) << 0;
    QTest::addRow("10.1.1 last fragment") << "10.1.1" << 50 << QByteArray::fromHex("80fe") << qsizetype(536) << 0;
}

void tst_ConformanceCatalogue::framesAreTheCatalogues()
{
    QFETCH(QString, id);
    QFETCH(int, step);
    QFETCH(QByteArray, header);
    QFETCH(qsizetype, payloadSize);
    QFETCH(int, chop);
    const Case *c = ConformanceCatalogue::byId(id);
    QVERIFY(c);
    QVERIFY(step < c->steps.size());
    const Step &s = c->steps[step];
    QCOMPARE(s.chop, chop);
    const EncodedFrame encoded = FrameWriter::encode(s.frame);
    QCOMPARE(encoded.bytes.left(2).toHex(), header.toHex());
    QCOMPARE(s.frame.payload.size(), payloadSize);
}

void tst_ConformanceCatalogue::failFastSplitsWhereTheTextTurnsInvalid()
{
    // 6.4.1: κόσμε, U+110000 (invalid at its second byte, the 12th of the message), "edited".
    const Case *c = ConformanceCatalogue::byId(QStringLiteral("6.4.1"));
    QVERIFY(c);
    QCOMPARE(c->steps.size(), 5);
    QCOMPARE(c->steps[0].frame.payload.toHex(), QByteArray("cebae1bdb9cf83cebcceb5"));
    QCOMPARE(c->steps[1].kind, Step::Kind::Pause);
    QCOMPARE(c->steps[1].label, QByteArray("A"));
    QCOMPARE(c->steps[2].frame.payload.toHex(), QByteArray("f4908080"));
    QCOMPARE(c->steps[2].frame.opcode, quint8(Opcode::Continuation));
    QCOMPARE(c->steps[4].frame.payload, QByteArray("edited"));
    QVERIFY(c->steps[4].frame.fin);
    QCOMPARE(c->expected.size(), 2);
    QCOMPARE(c->expected[0].second, QList<Event> { Event::timeout("A") });
    QCOMPARE(c->expected[1].first, Verdict::NonStrict);
    QVERIFY(c->close.wrongEndpointFailsCase);

    // 6.4.4: one frame, its payload written 12 bytes, then the one bad byte, then the rest.
    const Case *parts = ConformanceCatalogue::byId(QStringLiteral("6.4.4"));
    QVERIFY(parts);
    QCOMPARE(parts->steps[0].kind, Step::Kind::SendPart);
    QCOMPARE(parts->steps[0].bytes, qsizetype(12));
    QCOMPARE(parts->steps[0].frame.payload.size(), qsizetype(21));
    QCOMPARE(parts->steps[0].frame.payload.at(12), '\x90');
    QCOMPARE(parts->steps[2].kind, Step::Kind::Continue);
    QCOMPARE(parts->steps[2].bytes, qsizetype(1));
    QCOMPARE(parts->steps[4].bytes, qsizetype(-1));
}

void tst_ConformanceCatalogue::closeCodes()
{
    const QList<quint16> valid { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999 };
    const QList<Case> sevenSeven = casesOf(QStringLiteral("7.7."));
    for (qsizetype i = 0; i < valid.size(); ++i) {
        const FrameSpec &close = sevenSeven[i].steps[0].frame;
        QCOMPARE(close.opcode, quint8(Opcode::Close));
        QCOMPARE(quint16((quint8(close.payload[0]) << 8) | quint8(close.payload[1])), valid[i]);
        QCOMPARE(sevenSeven[i].close.codes, (QList<quint16> { 1000, valid[i] }));
        QVERIFY(sevenSeven[i].close.requireClean);
    }
    const QList<quint16> invalid { 0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999 };
    const QList<Case> sevenNine = casesOf(QStringLiteral("7.9."));
    for (qsizetype i = 0; i < invalid.size(); ++i) {
        const QByteArray payload = sevenNine[i].steps[0].frame.payload;
        QCOMPARE(quint16((quint8(payload[0]) << 8) | quint8(payload[1])), invalid[i]);
        QCOMPARE(sevenNine[i].close.codes, QList<quint16> { 1002 });
        QVERIFY(!sevenNine[i].close.requireClean);
        QVERIFY(sevenNine[i].wrongCodeFailsCase);
    }
    QVERIFY(ConformanceCatalogue::byId(QStringLiteral("7.13.2"))->informational);
}

void tst_ConformanceCatalogue::utf8ValidityAgreesWithPython()
{
    // Every case of 6.5 to 6.23 expects an echo exactly when its payload is valid UTF-8; Python's
    // decoder, an independent one, must agree on every payload.
    QByteArray input;
    QList<bool> expectsEcho;
    for (const Case &c : casesOf(QStringLiteral("6."))) {
        if (c.group().section(QLatin1Char('.'), 1).toInt() < 5)
            continue;
        input += c.steps[0].frame.payload.toHex() + '\n';
        expectsEcho << !c.expected[0].second.isEmpty();
    }
    QCOMPARE(expectsEcho.size(), 132);
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
                 { QStringLiteral("-c"),
                   QStringLiteral("import sys\n"
                                  "for line in sys.stdin:\n"
                                  "    try:\n"
                                  "        bytes.fromhex(line.strip()).decode('utf-8')\n"
                                  "        print(1)\n"
                                  "    except UnicodeDecodeError:\n"
                                  "        print(0)\n") });
    QVERIFY(python.waitForStarted());
    python.write(input);
    python.closeWriteChannel();
    QVERIFY(python.waitForFinished());
    const QList<QByteArray> verdicts = python.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(verdicts.size(), expectsEcho.size());
    int valid = 0;
    for (qsizetype i = 0; i < verdicts.size(); ++i) {
        QCOMPARE(verdicts[i] == "1", expectsEcho[i]);
        valid += expectsEcho[i];
    }
    QCOMPARE(valid, 5 + 5 + 4 + 4 + 4 + 34 + 7); // the valid groups and the complete prefixes
}

void tst_ConformanceCatalogue::timedCases()
{
    const Case *big = ConformanceCatalogue::byId(QStringLiteral("9.1.6"));
    QVERIFY(big && big->workload);
    QCOMPARE(big->workload->size, qsizetype(16 * 1024 * 1024));
    QVERIFY(ConformanceCatalogue::isPerformance(*big));
    const Case *fragments = ConformanceCatalogue::byId(QStringLiteral("9.4.1"));
    QCOMPARE(fragments->workload->fragmentSize, qsizetype(64));
    QVERIFY(fragments->workload->binary);
    const Case *chops = ConformanceCatalogue::byId(QStringLiteral("9.5.6"));
    QCOMPARE(chops->workload->chop, 2048);
    const Case *roundTrips = ConformanceCatalogue::byId(QStringLiteral("9.8.6"));
    QCOMPARE(roundTrips->workload->count, 1000);
    QCOMPARE(roundTrips->workload->size, qsizetype(4096));
    QVERIFY(!ConformanceCatalogue::isPerformance(*ConformanceCatalogue::byId(QStringLiteral("10.1.1"))));
}

void tst_ConformanceCatalogue::compressionCases_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("fragmentSize");
    QTest::addColumn<bool>("binary");
    QTest::addColumn<QStringList>("offers"); // Sec-WebSocket-Extensions, one per offer
    QTest::addColumn<QString>("requests"); // what the tester as server asks of a client
    const QString plain = QStringLiteral("permessage-deflate; client_no_context_takeover; client_max_window_bits");
    // Autobahn's sizes: ten whole messages from 16 B to 128 KiB, then fragments of 256 B to 32 KiB.
    QTest::addRow("12.1.1 JSON, 16 B") << "12.1.1" << 16 << 0 << false << QStringList { plain } << "-";
    QTest::addRow("12.2.10 bitmap, 128 KiB") << "12.2.10" << 131072 << 0 << true << QStringList { plain } << "-";
    QTest::addRow("12.3.11 text, 8 KiB in 256 B") << "12.3.11" << 8192 << 256 << true << QStringList { plain } << "-";
    QTest::addRow("12.4.5 HTML") << "12.4.5" << 4096 << 0 << false << QStringList { plain } << "-";
    QTest::addRow("12.5.18 PDF, 32 KiB frames") << "12.5.18" << 131072 << 32768 << true << QStringList { plain } << "-";
    QTest::addRow("13.1.1") << "13.1.1" << 16 << 0 << false << QStringList { plain } << "-";
    QTest::addRow("13.2.3") << "13.2.3" << 256 << 0 << false
                            << QStringList { plain + QStringLiteral("; server_no_context_takeover") } << "nct";
    QTest::addRow("13.3.16") << "13.3.16" << 131072 << 1024 << false
                             << QStringList { plain + QStringLiteral("; server_max_window_bits=8") } << "8";
    QTest::addRow("13.6.17") << "13.6.17" << 131072 << 4096 << false
                             << QStringList { QStringLiteral("permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                                                             "server_max_window_bits=15; client_max_window_bits") }
                             << "nct 15";
    QTest::addRow("13.7.18: three offers") << "13.7.18" << 131072 << 32768 << false
                                           << QStringList { QStringLiteral("permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                                                                           "server_max_window_bits=8; client_max_window_bits"),
                                                            QStringLiteral("permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                                                                           "client_max_window_bits"),
                                                            plain }
                                           << "nct 8, nct, -";
}

void tst_ConformanceCatalogue::compressionCases()
{
    QFETCH(QString, id);
    QFETCH(int, size);
    QFETCH(int, fragmentSize);
    QFETCH(bool, binary);
    QFETCH(QStringList, offers);
    QFETCH(QString, requests);
    const Case *c = ConformanceCatalogue::byId(id);
    QVERIFY(c && c->workload && c->deflate);
    QVERIFY(ConformanceCatalogue::isPerformance(*c));
    QCOMPARE(c->workload->count, 1000);
    QCOMPARE(c->workload->size, qsizetype(size));
    QCOMPARE(c->workload->fragmentSize, qsizetype(fragmentSize));
    QCOMPARE(c->workload->binary, binary);
    QVERIFY(c->workload->dataSet);
    QCOMPARE(TestData::isBinary(*c->workload->dataSet), binary);
    QStringList offered;
    for (const PerMessageDeflate::Offer &o : c->deflate->offers)
        offered << QString::fromLatin1(Extensions::format({ o.extension() }));
    // Sorted parameters: the order inside one offer is the writer's, not the case's.
    auto normalised = [](QStringList list) {
        for (QString &offer : list) {
            QStringList parts = offer.split(QStringLiteral("; "));
            std::sort(parts.begin() + 1, parts.end());
            offer = parts.join(QStringLiteral("; "));
        }
        return list;
    };
    QCOMPARE(normalised(offered), normalised(offers));
    QStringList asked;
    for (const PerMessageDeflate::ClientRequest &r : c->deflate->requests) {
        QStringList parts;
        if (r.noContextTakeover)
            parts << QStringLiteral("nct");
        if (r.maxWindowBits)
            parts << QString::number(*r.maxWindowBits);
        asked << (parts.isEmpty() ? QStringLiteral("-") : parts.join(QLatin1Char(' ')));
    }
    QCOMPARE(asked.join(QStringLiteral(", ")), requests);
    QCOMPARE(c->close.codes, QList<quint16> { 1000 });
    QVERIFY(!ConformanceCatalogue::groupTitle(c->group()).isEmpty());
}

void tst_ConformanceCatalogue::compressionData()
{
    // Generated, not shipped: the same bytes every time, the sizes of Autobahn's files, ASCII where
    // the messages are text (any cut of it is valid UTF-8).
    // The digests pin the bytes: results of two runs, or two machines, compare only if the
    // messages were the same (they were taken once, from the generator as written).
    const struct {
        TestData::Set set;
        qsizetype size;
        const char *sha1;
    } sets[] = { { TestData::Set::Json, 194056, "ba1805ace6f849ee6c3d4f5c8e54a49bf3d0017f" },
                 { TestData::Set::Bitmap, 263222, "35425a155f69de454ce656ea7fd51302ccbb3bbd" },
                 { TestData::Set::Text, 222218, "7510c18b470d4ee0ef176a2bc73eef8c88f8b81b" },
                 { TestData::Set::Html, 263527, "ca85c035debe9217134c64e708e0b8fd30c4b5f8" },
                 { TestData::Set::Pdf, 1042328, "06bbdfd46d4bd3666b8da7bd33d2faf5b000f345" } };
    QCOMPARE(TestData::all().size(), 5);
    for (const auto &s : sets) {
        const QByteArray &data = TestData::bytes(s.set);
        QCOMPARE(data.size(), s.size);
        QCOMPARE(&TestData::bytes(s.set), &data);
        QCOMPARE(QCryptographicHash::hash(data, QCryptographicHash::Sha1).toHex(), QByteArray(s.sha1));
        if (!TestData::isBinary(s.set))
            QVERIFY(std::all_of(data.cbegin(), data.cend(), [](char ch) { return uchar(ch) < 0x80; }));
        QVERIFY(TestData::description(s.set).contains(QString::number(s.size)));
    }
    const QByteArray &bitmap = TestData::bytes(TestData::Set::Bitmap);
    QVERIFY(bitmap.startsWith("BM"));
    QVERIFY(TestData::bytes(TestData::Set::Pdf).startsWith("%PDF-"));
}

void tst_ConformanceCatalogue::select_data()
{
    QTest::addColumn<QStringList>("patterns");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("last");
    QTest::addRow("all") << QStringList() << 517 << "1.1.1" << "13.7.18";
    QTest::addRow("one") << QStringList { QStringLiteral("2.10") } << 1 << "2.10" << "2.10";
    QTest::addRow("group") << QStringList { QStringLiteral("6.4.*") } << 4 << "6.4.1" << "6.4.4";
    QTest::addRow("section") << QStringList { QStringLiteral("7.*") } << 37 << "7.1.1" << "7.13.2";
    QTest::addRow("two, catalogue order") << QStringList { QStringLiteral("7.*"), QStringLiteral("6.4.*") } << 41 << "6.4.1" << "7.13.2";
    QTest::addRow("overlap counted once") << QStringList { QStringLiteral("1.*"), QStringLiteral("1.1.*") } << 16 << "1.1.1" << "1.2.8";
    QTest::addRow("everything") << QStringList { QStringLiteral("*") } << 517 << "1.1.1" << "13.7.18";
}

void tst_ConformanceCatalogue::select()
{
    QFETCH(QStringList, patterns);
    QFETCH(int, count);
    QFETCH(QString, first);
    QFETCH(QString, last);
    QString error;
    const QList<Case> chosen = ConformanceCatalogue::select(patterns, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(chosen.size(), count);
    QCOMPARE(chosen.first().id, first);
    QCOMPARE(chosen.last().id, last);
}

void tst_ConformanceCatalogue::selectErrors_data()
{
    QTest::addColumn<QStringList>("patterns");
    QTest::addColumn<QString>("error");
    QTest::addRow("no such case") << QStringList { QStringLiteral("8.1") } << "no case matches \"8.1\"";
    QTest::addRow("one of two") << QStringList { QStringLiteral("1.*"), QStringLiteral("11.*") } << "no case matches \"11.*\"";
    QTest::addRow("not a pattern") << QStringList { QStringLiteral("6.4.x") } << "\"6.4.x\" is not a case pattern";
    QTest::addRow("star inside") << QStringList { QStringLiteral("6.*.1") } << "\"6.*.1\" is not a case pattern";
}

void tst_ConformanceCatalogue::selectErrors()
{
    QFETCH(QStringList, patterns);
    QFETCH(QString, error);
    QString got;
    QVERIFY(ConformanceCatalogue::select(patterns, &got).isEmpty());
    QVERIFY2(got.startsWith(error), qPrintable(got));
}

void tst_ConformanceCatalogue::titles()
{
    QCOMPARE(ConformanceCatalogue::sectionTitle(QStringLiteral("6")), QStringLiteral("UTF-8 handling"));
    QCOMPARE(ConformanceCatalogue::groupTitle(QStringLiteral("6.4")), QStringLiteral("Failing fast on invalid UTF-8"));
    QCOMPARE(ConformanceCatalogue::groupTitle(QStringLiteral("6.20")), QStringLiteral("Single UTF-16 surrogates"));
    QCOMPARE(ConformanceCatalogue::groupTitle(QStringLiteral("6.23")),
             QStringLiteral("Unicode specials, the replacement character among them"));
    QCOMPARE(ConformanceCatalogue::groupTitle(QStringLiteral("2")), QStringLiteral("Pings and pongs"));
    QCOMPARE(ConformanceCatalogue::byId(QStringLiteral("2.10"))->group(), QStringLiteral("2"));
    QCOMPARE(ConformanceCatalogue::byId(QStringLiteral("6.13.2"))->group(), QStringLiteral("6.13"));
}

void tst_ConformanceCatalogue::forRun_data()
{
    QTest::addColumn<QStringList>("patterns");
    QTest::addColumn<bool>("withPerformance");
    QTest::addColumn<int>("count");
    QTest::addRow("default: no timed section") << QStringList() << false << 247;
    QTest::addRow("--with-perf") << QStringList() << true << 517;
    QTest::addRow("a star does not ask for timed sections") << QStringList { QStringLiteral("*") } << false << 247;
    QTest::addRow("naming section 9 does") << QStringList { QStringLiteral("9.*") } << false << 54;
    QTest::addRow("naming 12 asks for 12 only") << QStringList { QStringLiteral("12.*"), QStringLiteral("1.*") } << false << 106;
    QTest::addRow("one case of 13") << QStringList { QStringLiteral("13.7.1") } << false << 1;
    QTest::addRow("one timed case and another") << QStringList { QStringLiteral("1.1.1"), QStringLiteral("9.7.1") } << false << 2;
}

void tst_ConformanceCatalogue::forRun()
{
    QFETCH(QStringList, patterns);
    QFETCH(bool, withPerformance);
    QFETCH(int, count);
    QCOMPARE(ConformanceCatalogue::forRun(patterns, withPerformance).size(), count);
}

QTEST_GUILESS_MAIN(tst_ConformanceCatalogue)
#include "tst_conformancecatalogue.moc"
