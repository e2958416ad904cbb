#include "train/lm/corpus.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace sigil::train::lm {
namespace {

TEST(wordnet_document, first_lemma_and_gloss) {
    const auto noun = wordnet_document(
        "00045646 04 n 02 rally 1 rallying 1 003 @ 00036762 n 0000 + 01097978 v 0204 | the feat of mustering "
        "strength; \"he singled to start a rally\"  ");
    ASSERT_TRUE(noun);
    EXPECT_EQ(*noun, "rally: the feat of mustering strength; \"he singled to start a rally\"");
    const auto phrase = wordnet_document("00046177 04 n 01 running_away 0 003 @ 00030358 n 0000 | the act of leaving");
    ASSERT_TRUE(phrase);
    EXPECT_EQ(*phrase, "running away: the act of leaving");
    const auto adj = wordnet_document("01382086 00 a 01 long(a) 0 002 ! 01384730 a 0101 | primarily temporal sense");
    ASSERT_TRUE(adj);
    EXPECT_EQ(*adj, "long: primarily temporal sense");
    // The license header of every data file.
    const auto header = wordnet_document("  1 This software and database is being provided to you, the LICENSEE, by  ");
    ASSERT_TRUE(header);
    EXPECT_TRUE(header->empty());
}

TEST(wordnet_document, malformed_lines_are_named) {
    EXPECT_EQ(wordnet_document("00045646 04 n 02 rally 1 rallying 1 003").error(), "no ' | ' before the gloss");
    EXPECT_EQ(wordnet_document("00045646 | a gloss").error(), "no lemma");
    EXPECT_EQ(wordnet_document("00045646 04 n 01 rally 1 000 |   ").error(), "empty gloss");
}

TEST(load_wordnet, every_twentieth_document_is_held_out) {
    const auto c = load_wordnet(kWordnetDefaultDir, 400);
    ASSERT_TRUE(c) << c.error();
    EXPECT_EQ(c->train.size(), 380u);
    EXPECT_EQ(c->held_out.size(), 20u);
    const auto again = load_wordnet(kWordnetDefaultDir, 400);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->held_out, c->held_out);
}

TEST(load_wordnet, missing_and_malformed_files_are_named) {
    const auto dir = std::filesystem::temp_directory_path() / ("sigil-wordnet-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto missing = load_wordnet(dir);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().find("data.noun: cannot read"), std::string::npos) << missing.error();
    for (const char* name : {"data.noun", "data.verb", "data.adj", "data.adv"}) {
        std::ofstream(dir / name) << "  1 license\n00001740 03 n 01 entity 0 003 | that which exists\n";
    }
    std::ofstream(dir / "data.verb", std::ios::app) << "00001741 29 v 01 breathe 0 000 no gloss separator\n";
    auto bad = load_wordnet(dir);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().find("data.verb:3: no ' | ' before the gloss"), std::string::npos) << bad.error();
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sigil::train::lm
