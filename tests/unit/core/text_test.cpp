#include "prospect/core/text.hpp"

#include <gtest/gtest.h>

using namespace prospect;

TEST(Text, WellFormedUtf8AndAllowedWhitespacePassUnchanged) {
  bool changed = false;
  const std::string text = "Carbonatite \xc3\xa9 \xe2\x80\x93 \xf0\x9f\x98\x80\ttab\nline\r";
  EXPECT_EQ(clean_text(text, &changed), text);
  EXPECT_FALSE(changed);
}

TEST(Text, StrayBytesAndControlCharactersBecomeReplacementCharacters) {
  const std::string fffd = "\xef\xbf\xbd";
  bool changed = false;
  EXPECT_EQ(clean_text("a\x01z", &changed), "a" + fffd + "z");
  EXPECT_TRUE(changed);
  EXPECT_EQ(clean_text(std::string("a\0z", 3)), "a" + fffd + "z");
  EXPECT_EQ(clean_text("r\xe9sum\xe9"), "r" + fffd + "sum" + fffd);      // Latin-1
  EXPECT_EQ(clean_text("\xc0\xaf"), fffd + fffd);                        // overlong '/'
  EXPECT_EQ(clean_text("\xed\xa0\x80"), fffd + fffd + fffd);             // a surrogate
  EXPECT_EQ(clean_text("\xf4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // beyond U+10FFFF
  EXPECT_EQ(clean_text("\xe2\x80"), fffd + fffd);                        // cut short
}

TEST(Text, SequenceLengths) {
  EXPECT_EQ(utf8_sequence_length("a", 0), 1u);
  EXPECT_EQ(utf8_sequence_length("\xc3\xa9", 0), 2u);
  EXPECT_EQ(utf8_sequence_length("\xe2\x80\x93", 0), 3u);
  EXPECT_EQ(utf8_sequence_length("\xf0\x9f\x98\x80", 0), 4u);
  EXPECT_EQ(utf8_sequence_length("\x80", 0), 0u);
}
