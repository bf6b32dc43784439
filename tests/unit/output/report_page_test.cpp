#include "prospect/output/report_page.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace prospect;
using ::testing::HasSubstr;
using ::testing::Not;

// Text from data (names, messages, class names) used to go into cells raw
// while headings were escaped: a class named "<b>" made markup of it.
TEST(HtmlTable, TextCellsAreEscapedAndOnlyMarkupSaysSo) {
  const std::string t = html_table(
      {"Name <i>", "Value"},
      {{std::string("Fenite <script>x</script> & co"), "1"}, {Cell::markup("<code>a</code>"), "2"}},
      1, "K & Na");
  EXPECT_THAT(t, HasSubstr("<td>Fenite &lt;script&gt;x&lt;/script&gt; &amp; co</td>"));
  EXPECT_THAT(t, Not(HasSubstr("<script>")));
  EXPECT_THAT(t, HasSubstr("<td><code>a</code></td>"));
  EXPECT_THAT(t, HasSubstr("<th>Name &lt;i&gt;</th>"));
  EXPECT_THAT(t, HasSubstr("<caption>K &amp; Na</caption>"));
}

TEST(HtmlTable, OnlyTheNumericColumnsAreRightAligned) {
  const std::string t =
      html_table({"Survey", "Zones", "AUC", "Problem"}, {{"north", "3", "0.8", "none"}}, 1, "", 3);
  EXPECT_THAT(t, HasSubstr("<td>north</td><td class=\"num\">3</td><td class=\"num\">0.8</td>"
                           "<td>none</td>"));
  EXPECT_THAT(t, HasSubstr("<th>Problem</th>"));
}
