/*
 * accident.c - the accident-type dictionaries (see accident.h).
 */
#include "accident.h"

#include <string.h>

/* GB/T 6441-1986, clause 2, 事故类别. */
static const struct accident_type GB6441_1986[] = {
	{"01", "物体打击"}, {"02", "车辆伤害"},	{"03", "机械伤害"}, {"04", "起重伤害"},
	{"05", "触电"},	    {"06", "淹溺"},	{"07", "灼烫"},	    {"08", "火灾"},
	{"09", "高处坠落"}, {"10", "坍塌"},	{"11", "冒顶片帮"}, {"12", "透水"},
	{"13", "放炮"},	    {"14", "火药爆炸"}, {"15", "瓦斯爆炸"}, {"16", "锅炉爆炸"},
	{"17", "容器爆炸"}, {"18", "其它爆炸"}, {"19", "中毒和窒息"}, {"20", "其它伤害"},
};

const struct accident_dictionary ACCIDENT_DICTIONARIES[] = {
	{"GB6441-1986", "GB/T 6441-1986 企业职工伤亡事故分类", GB6441_1986,
	 sizeof GB6441_1986 / sizeof GB6441_1986[0]},
};
const int ACCIDENT_DICTIONARY_COUNT = sizeof ACCIDENT_DICTIONARIES / sizeof ACCIDENT_DICTIONARIES[0];
const char *const ACCIDENT_DEFAULT_VERSION = "GB6441-1986";

const struct accident_dictionary *accident_dictionary(const char *version)
{
	for (int i = 0; version && i < ACCIDENT_DICTIONARY_COUNT; i++)
		if (strcmp(ACCIDENT_DICTIONARIES[i].version, version) == 0)
			return &ACCIDENT_DICTIONARIES[i];
	return NULL;
}

const char *accident_type_name(const struct accident_dictionary *d, const char *code)
{
	for (int i = 0; d && code && i < d->ntypes; i++)
		if (strcmp(d->types[i].code, code) == 0)
			return d->types[i].name;
	return NULL;
}
