# ruff: noqa: E501 (prose: long lines read better than split sentences)
"""
The demo newsroom's stories: invented local news from the invented town of
Kestrel Bay, written for this project. Any likeness to real places or people
is accidental.

Each story: headline, slug, section slug, tag slugs, author slugs, standfirst,
body paragraphs (a paragraph starting with "## " is a subheading, one starting
with "> " a quotation), and how many hours before seeding it was published.
"""

SECTIONS = [
    ("city", "City", "Council decisions, transport, housing and the streets of Kestrel Bay."),
    (
        "business",
        "Business",
        "Shops, the harbour economy, jobs and the people who make a living here.",
    ),
    ("culture", "Culture", "Music, books, galleries, festivals and what is on this week."),
    (
        "sport",
        "Sport",
        "The Kestrels, the rowing clubs, the school leagues and the weekend runners.",
    ),
]

TAGS = [
    ("transport", "Transport"),
    ("housing", "Housing"),
    ("harbour", "Harbour"),
    ("schools", "Schools"),
    ("weather", "Weather"),
    ("festival", "Festival"),
    ("council-budget", "Council budget"),
    ("football", "Football"),
    ("environment", "Environment"),
    ("small-business", "Small business"),
]

AUTHORS = [
    (
        "mara-quill",
        "Mara Quill",
        "City reporter. Has sat through more council meetings than she can count and still takes notes by hand.",
    ),
    (
        "tomas-reyes",
        "Tomás Reyes",
        "Business and harbour correspondent. Before journalism he kept the books for a fishing co-operative.",
    ),
    (
        "ines-haldane",
        "Ines Haldane",
        "Culture editor. Reviews concerts, exhibitions and the occasional very long poetry reading.",
    ),
    (
        "dev-okafor",
        "Dev Okafor",
        "Sport reporter. Covers the Kestrels home and away, and runs the harbour parkrun most Saturdays.",
    ),
]

STORIES = [
    {
        "headline": "Night ferry to the islands returns after a two-year gap",
        "slug": "night-ferry-returns",
        "section": "city",
        "tags": ["transport", "harbour"],
        "authors": ["mara-quill"],
        "hours_ago": 2,
        "standfirst": "The late sailing to Gull and Tarn islands is back from Monday, paid for by a "
        "three-year deal between the council and the ferry operator.",
        "body": [
            "For the first time since the spring before last, islanders who work late shifts in "
            "Kestrel Bay will have a way home after nine in the evening. The 22:40 sailing from "
            "the North Pier resumes on Monday and will run every night except Christmas Day.",
            "The service was cut when the operator withdrew one of its two vessels for repairs "
            "that ran far over budget. Councillors agreed last month to cover the running cost "
            "of the late crossing for three years, at a price of about £310,000 a year.",
            "## What changes for passengers",
            "Tickets for the night sailing cost the same as daytime crossings. Season tickets "
            "bought since January will be honoured, and the operator says bicycles travel free "
            "on the late boat while it builds up its numbers.",
            "> We kept hearing from nurses and bar staff who were sleeping on friends' sofas "
            "three nights a week. This fixes a real problem.",
            "The council will review passenger numbers after a year. If fewer than forty people "
            "use the crossing on an average night, the subsidy could be reduced.",
        ],
    },
    {
        "headline": "Council approves budget with rise in parking charges",
        "slug": "council-approves-budget",
        "section": "city",
        "tags": ["council-budget", "transport"],
        "authors": ["mara-quill"],
        "hours_ago": 7,
        "standfirst": "Town centre parking will cost 20p more an hour from April, as the council "
        "closes a £2.1m gap without cutting library hours.",
        "body": [
            "Kestrel Bay council approved its budget for the coming year on Thursday night after "
            "a four-hour meeting, with twenty-six votes for, eleven against and two abstentions.",
            "The largest single change is to parking. An hour in a town centre car park will "
            "rise from £1.60 to £1.80, and Sunday parking, free for a decade, will cost a flat "
            "£2 for the day. The council expects the changes to raise £640,000 a year.",
            "Opposition members argued that the charges would push shoppers towards the retail "
            "park on the ring road. The finance lead replied that the alternative was closing "
            "two branch libraries, which she called \u201ca false saving we would regret.\u201d",
            "Council tax will rise by 4.9 per cent, the maximum allowed without a local "
            "referendum. Bills for a typical home go up by about £1.45 a week.",
        ],
    },
    {
        "headline": "Plans for 300 homes on the old gasworks site go on show",
        "slug": "gasworks-homes-plans",
        "section": "city",
        "tags": ["housing", "environment"],
        "authors": ["mara-quill", "tomas-reyes"],
        "hours_ago": 20,
        "standfirst": "A developer wants to build flats and terraced houses on land left empty "
        "since the 1970s. Residents can see the plans at the Corn Exchange this weekend.",
        "body": [
            "The gasworks site between Tanner Street and the river has been fenced off for longer "
            "than most of the people living around it can remember. On Saturday the company that "
            "bought it last year will show residents what it wants to build there.",
            "The plans include 300 homes, a third of them for social rent, a small park along the "
            "river and a new footbridge to the railway station. The tallest block would have "
            "eight storeys.",
            "Cleaning the ground is the largest cost. Decades of coal tar have soaked into the "
            "soil, and the developer estimates the clean-up alone will take eighteen months.",
            "Neighbours who spoke to us were cautiously welcoming. Several said they were more "
            "worried about traffic on Tanner Street than about the height of the buildings.",
        ],
    },
    {
        "headline": "Storm warning as high tides and gales meet on Friday",
        "slug": "storm-warning-friday",
        "section": "city",
        "tags": ["weather", "harbour"],
        "authors": ["mara-quill"],
        "hours_ago": 31,
        "standfirst": "The seafront road will close from noon and sandbags are available at three "
        "depots, as forecasters expect gusts of up to 70mph at high water.",
        "body": [
            "A spring tide and a deep Atlantic low are due to arrive together on Friday "
            "afternoon, and the council has asked people on the seafront to prepare for "
            "flooding.",
            "Esplanade Road will close to traffic from midday until the tide turns, at about "
            "seven in the evening. Buses on routes 4 and 4A will divert along Chapel Hill.",
            "Sandbags can be collected free of charge from the depots at Mill Lane, Harbour Yard "
            "and the recycling centre. Staff will help carry them to cars for anyone who asks.",
            "The harbour master has told owners of small boats in the inner basin to check "
            "their moorings on Thursday, while it is still safe to do so.",
        ],
    },
    {
        "headline": "Two primary schools to share a head teacher from September",
        "slug": "primary-schools-share-head",
        "section": "city",
        "tags": ["schools"],
        "authors": ["mara-quill"],
        "hours_ago": 50,
        "standfirst": "St Brannock's and Ferry Lane primaries will keep their names and buildings "
        "but come under one leadership team, in a move governors say protects both.",
        "body": [
            "Governors at the two schools, which sit half a mile apart on either side of the "
            "railway, voted this week to federate. Each school keeps its own uniform, its own "
            "building and its own classes.",
            "Both schools have lost pupils as fewer children are born in the town. Ferry Lane "
            "now has fewer than 120 children in a building meant for 210.",
            "Parents were told at a meeting on Tuesday that no teaching jobs would be lost. "
            "Some asked whether federation was a first step towards closing one of the schools, "
            "and were told that it was meant to prevent exactly that.",
        ],
    },
    {
        "headline": "Cycle lane on Chapel Hill to be made permanent",
        "slug": "chapel-hill-cycle-lane",
        "section": "city",
        "tags": ["transport", "environment"],
        "authors": ["mara-quill"],
        "hours_ago": 75,
        "standfirst": "The trial lane divided opinion, but counts show cycling on the hill has "
        "doubled and journey times for buses have barely changed.",
        "body": [
            "The orange wands that have lined Chapel Hill for eighteen months will be replaced "
            "by a kerbed lane this summer, the council's transport committee decided on Monday.",
            "Sensors installed at the start of the trial counted an average of 410 cycle trips a "
            "day last month, against 190 before the lane went in. Bus journey times up the hill "
            "rose by about forty seconds at the evening peak.",
            "Shop owners at the top of the hill had asked for the loading bays to be kept, and "
            "the final design moves them rather than removing them.",
        ],
    },
    {
        "headline": "Fish market turns a profit for the first time in a decade",
        "slug": "fish-market-profit",
        "section": "business",
        "tags": ["harbour", "small-business"],
        "authors": ["tomas-reyes"],
        "hours_ago": 5,
        "standfirst": "Direct sales to restaurants and a Saturday public market helped the "
        "harbour's co-operative end the year £84,000 in the black.",
        "body": [
            "The Kestrel Bay fish market has published its first annual profit since the "
            "co-operative took it over from the harbour board ten years ago.",
            "Much of the change comes from selling to restaurants directly instead of through "
            "wholesalers in the city. Around forty kitchens now order by text message before "
            "the boats land, and collect from the quay within the hour.",
            "The Saturday public market, started as an experiment during the summer, now draws "
            "several hundred people a week even in winter.",
            "> Nobody here expected to see a profit this year. It means we can fix the ice "
            "plant instead of patching it again.",
            "The co-operative says the money will go towards replacing its ice machine, which "
            "dates from 1994, and towards a cold store for the smaller boats.",
        ],
    },
    {
        "headline": "Bakery chain to open its first shop outside the town",
        "slug": "bakery-chain-expands",
        "section": "business",
        "tags": ["small-business"],
        "authors": ["tomas-reyes"],
        "hours_ago": 28,
        "standfirst": "Crumb & Co, which started as a market stall in 2015, will open in Holmesford "
        "next month and hire twelve people.",
        "body": [
            "The bakery that began as a trestle table at the Wednesday market now runs five shops "
            "in Kestrel Bay. Next month it opens its sixth, and its first beyond the town, in "
            "the high street at Holmesford.",
            "Its founders say they chose Holmesford because many of their weekend customers "
            "already drive in from there.",
            "All bread will still be baked overnight at the unit on Mill Lane and driven over "
            "before six in the morning.",
        ],
    },
    {
        "headline": "Boatyard wins contract to build two electric harbour launches",
        "slug": "boatyard-electric-launches",
        "section": "business",
        "tags": ["harbour", "environment"],
        "authors": ["tomas-reyes"],
        "hours_ago": 44,
        "standfirst": "The family-run Penhallow yard beat larger builders to a contract worth "
        "£1.2m, securing jobs for its apprentices for the next two years.",
        "body": [
            "Penhallow & Daughters, which has built and repaired boats on the east quay since "
            "1908, will build two battery-powered launches for the harbour authority.",
            "The boats will carry pilots and harbour staff around the port. Each can run a full "
            "shift on one charge and will recharge overnight from a new shore connection.",
            "The yard employs nineteen people, including four apprentices. Its managing "
            "director said the contract was the largest in its history.",
        ],
    },
    {
        "headline": "Empty shop units fall as pop-up scheme fills the arcade",
        "slug": "pop-up-scheme-arcade",
        "section": "business",
        "tags": ["small-business", "council-budget"],
        "authors": ["tomas-reyes"],
        "hours_ago": 69,
        "standfirst": "Six months of rent-free trials have brought a record shop, a bike repairer "
        "and a cheesemonger to the Victoria Arcade. Three plan to stay.",
        "body": [
            "A year ago, eleven of the sixteen units in the Victoria Arcade were empty. Today "
            "only four are, after a council scheme offered six months free of rent to new "
            "traders.",
            "Of the nine businesses that took up the offer, three have signed full leases, two "
            "have moved to larger premises elsewhere in town and four closed at the end of "
            "their trial.",
            "The council says the scheme cost it about £50,000 in lost rent, less than it spent "
            "keeping the empty units secure.",
        ],
    },
    {
        "headline": "Harbour cargo traffic rises on timber and grain",
        "slug": "harbour-cargo-rises",
        "section": "business",
        "tags": ["harbour"],
        "authors": ["tomas-reyes"],
        "hours_ago": 96,
        "standfirst": "The port handled 412,000 tonnes last year, its busiest since 2008, as "
        "timber imports from the Baltic grew by a quarter.",
        "body": [
            "Kestrel Bay harbour had its busiest year for cargo in more than a decade, according "
            "to figures published by the harbour authority on Tuesday.",
            "Timber accounted for most of the growth. Grain exports were steady, while scrap "
            "metal fell for the third year running.",
            "The authority says it needs to deepen the approach channel if the trend continues, "
            "because the largest timber ships can only enter at high water.",
        ],
    },
    {
        "headline": "Jobs fair draws record crowd to the Corn Exchange",
        "slug": "jobs-fair-record-crowd",
        "section": "business",
        "tags": ["small-business", "schools"],
        "authors": ["tomas-reyes", "mara-quill"],
        "hours_ago": 120,
        "standfirst": "More than 2,000 people came to meet sixty employers, from the hospital to "
        "the boatyards, at the town's annual jobs fair.",
        "body": [
            "Queues stretched down Market Street on Saturday morning for the tenth Kestrel Bay "
            "jobs fair, which organisers say was the best attended yet.",
            "The hospital trust alone had more than 150 vacancies to talk about, from porters to "
            "theatre nurses. Several employers brought apprentices to explain what the work "
            "is like.",
            "The college ran a stand helping visitors write their first CV, and says it printed "
            "more than three hundred of them.",
        ],
    },
    {
        "headline": "Lantern parade returns with a route along the new promenade",
        "slug": "lantern-parade-returns",
        "section": "culture",
        "tags": ["festival"],
        "authors": ["ines-haldane"],
        "hours_ago": 4,
        "standfirst": "Schools and community groups have spent a month making willow-and-paper "
        "lanterns for Saturday's parade, the first to use the rebuilt seafront.",
        "body": [
            "The winter lantern parade is one of the town's best-loved evenings, and this year "
            "it will end somewhere new: on the rebuilt promenade, with the lanterns gathered "
            "along the sea wall.",
            "Around thirty groups have made lanterns in workshops at the arts centre since the "
            "start of the month. This year's theme is \u201cthings that live in the harbour\u201d, "
            "so expect crabs, seals and at least one very large jellyfish.",
            "## Route and timings",
            "The parade leaves the Corn Exchange at 5.30pm, follows Market Street and Harbour "
            "Road, and reaches the promenade at about 6.15pm. Roads along the route close from "
            "five o'clock.",
        ],
    },
    {
        "headline": "Review: the orchestra's harbour symphony finds its sea legs",
        "slug": "harbour-symphony-review",
        "section": "culture",
        "tags": ["harbour"],
        "authors": ["ines-haldane"],
        "hours_ago": 26,
        "standfirst": "A new work built from recordings of foghorns, winches and gulls is stranger "
        "and better than its premise suggests.",
        "body": [
            "It is hard to describe a piece that opens with the sound of a rope tightening "
            "around a bollard without making it sound like a gimmick. But the Bay Sinfonia's "
            "new commission earns its sound effects.",
            "The composer spent a winter recording around the port, and the tape part is used "
            "sparingly. The best passage, a slow movement built over the low note of the North "
            "Pier foghorn, had the hall completely still.",
            "The closing movement is too long by a few minutes, and the brass struggled with "
            "the final climax. It hardly mattered. This was the most original thing the "
            "orchestra has played in years.",
        ],
    },
    {
        "headline": "Library's local history room reopens with digitised maps",
        "slug": "local-history-room-reopens",
        "section": "culture",
        "tags": ["council-budget"],
        "authors": ["ines-haldane"],
        "hours_ago": 52,
        "standfirst": "Two centuries of town plans, harbour charts and street directories can now "
        "be searched online, after two years of volunteer work.",
        "body": [
            "The local history room at the central library has reopened after a refit, and with "
            "it a website where anyone can browse the collection of maps.",
            "Volunteers photographed more than 1,400 sheets, some so fragile they had not been "
            "unfolded in decades. The oldest is a harbour chart from 1791.",
            "The room itself has new lighting, larger tables and, at last, a lift.",
        ],
    },
    {
        "headline": "Young writers' prize opens for entries",
        "slug": "young-writers-prize",
        "section": "culture",
        "tags": ["schools", "festival"],
        "authors": ["ines-haldane"],
        "hours_ago": 80,
        "standfirst": "Anyone aged 11 to 18 who lives or studies in Kestrel Bay can enter a story "
        "or poem of up to 1,500 words before the end of March.",
        "body": [
            "The Bay Book Festival's prize for young writers is open for its fifth year, with "
            "categories for stories and poems.",
            "Winners will read their work at the festival in May and receive book tokens and a "
            "session with a published author.",
            "Entries can be sent by email or left at any library in the town.",
        ],
    },
    {
        "headline": "Gallery show puts the town's fishing families in focus",
        "slug": "fishing-families-exhibition",
        "section": "culture",
        "tags": ["harbour"],
        "authors": ["ines-haldane"],
        "hours_ago": 101,
        "standfirst": "Portraits taken on the quay over forty years form the heart of a new "
        "exhibition at the Ropewalk Gallery.",
        "body": [
            "A retired photographer who spent four decades photographing the crews who land "
            "fish in Kestrel Bay has given more than two hundred prints to the Ropewalk "
            "Gallery.",
            "Forty of them are on show until the end of next month, hung alongside recordings "
            "of the people in them talking about their work.",
            "Entry is free. The gallery is open Wednesday to Sunday.",
        ],
    },
    {
        "headline": "Folk club celebrates fifty years in the back room of the Anchor",
        "slug": "folk-club-fifty-years",
        "section": "culture",
        "tags": ["festival"],
        "authors": ["ines-haldane", "dev-okafor"],
        "hours_ago": 140,
        "standfirst": "The Thursday night session has outlived three landlords and a flood. Its "
        "founders were at the anniversary gig.",
        "body": [
            "Every Thursday since 1975, give or take a pandemic, musicians have crowded into the "
            "back room of the Anchor on Quay Street to play for anyone who wants to listen.",
            "Two of the club's founders played at last week's anniversary night, alongside a "
            "fiddle player who was not born when the club began.",
            "The club has no membership and no fee. A jar on the piano pays for the guest "
            "musicians.",
        ],
    },
    {
        "headline": "Kestrels come from behind to beat Holmesford in the derby",
        "slug": "kestrels-win-derby",
        "section": "sport",
        "tags": ["football"],
        "authors": ["dev-okafor"],
        "hours_ago": 3,
        "standfirst": "Two goals in the last ten minutes turned a dismal afternoon into the best "
        "result of the season for the town's football club.",
        "body": [
            "For eighty minutes at the Ropeworks Ground it looked like another derby defeat. "
            "Holmesford had led since the first half and the Kestrels had barely troubled their "
            "goalkeeper.",
            "Then the substitute winger, on for less than a quarter of an hour, curled in an "
            "equaliser from the edge of the area. Five minutes later the captain headed in a "
            "corner at the far post, and the home end did not stop singing until well after "
            "the final whistle.",
            "The win lifts the Kestrels to sixth, two points outside the play-off places.",
        ],
    },
    {
        "headline": "Rowing club's women's four qualify for national finals",
        "slug": "rowing-four-qualify",
        "section": "sport",
        "tags": ["harbour"],
        "authors": ["dev-okafor"],
        "hours_ago": 22,
        "standfirst": "Bay Rowing Club will send a crew to the national championships for the first "
        "time in twelve years.",
        "body": [
            "The Bay Rowing Club's women's coxless four won their qualifying race by three "
            "lengths on Sunday, rowing the course in the fastest time of the weekend.",
            "Three of the four learned to row on the club's learn-to-row course in the harbour "
            "basin.",
            "The club is raising money to transport its boat to the finals.",
        ],
    },
    {
        "headline": "Parkrun's 500th event draws its biggest field",
        "slug": "parkrun-500th",
        "section": "sport",
        "tags": ["environment"],
        "authors": ["dev-okafor"],
        "hours_ago": 46,
        "standfirst": "Over 700 runners, walkers and dogs completed the five kilometres along the "
        "harbour wall on Saturday morning.",
        "body": [
            "The free weekly run along the harbour wall and back through Marine Park reached its "
            "500th event at the weekend, and the town turned out for it.",
            "The oldest finisher was 87. The youngest, pushed in a running buggy, was four months.",
            "Organisers thanked the volunteers who have marshalled, timed and scanned barcodes "
            "every Saturday since the first run.",
        ],
    },
    {
        "headline": "School football league adds girls' under-13 division",
        "slug": "girls-under-13-division",
        "section": "sport",
        "tags": ["football", "schools"],
        "authors": ["dev-okafor"],
        "hours_ago": 70,
        "standfirst": "Eight schools have entered teams for the first season, which kicks off "
        "after half-term.",
        "body": [
            "The Kestrel Bay schools' football league will run a girls' under-13 division for the "
            "first time this spring.",
            "Teachers say interest has grown quickly since the Kestrels' women's team began "
            "running after-school sessions.",
            "Matches will be played on Wednesday afternoons at the Ropeworks Ground's training "
            "pitches.",
        ],
    },
    {
        "headline": "Sea swimmers call for better changing facilities at the cove",
        "slug": "sea-swimmers-facilities",
        "section": "sport",
        "tags": ["environment", "council-budget"],
        "authors": ["dev-okafor", "mara-quill"],
        "hours_ago": 98,
        "standfirst": "Year-round swimmers at Pennick Cove say numbers have tripled but the only "
        "shelter is a bus stop.",
        "body": [
            "On a cold January morning there can be sixty people in the water at Pennick Cove, "
            "and nowhere for them to change but the shelter of the sea wall.",
            "A group of swimmers has asked the council for a simple changing room and an outdoor "
            "shower, and has offered to help pay for them.",
            "The council says it will look at the request as part of its plans for the seafront.",
        ],
    },
    {
        "headline": "Kestrels' ground to get new floodlights before next season",
        "slug": "ropeworks-floodlights",
        "section": "sport",
        "tags": ["football"],
        "authors": ["dev-okafor"],
        "hours_ago": 130,
        "standfirst": "LED lights will halve the club's electricity bill and meet the league's "
        "rules for evening kick-offs.",
        "body": [
            "The Ropeworks Ground's floodlights, installed in 1987, will be replaced this summer "
            "with an LED system paid for by a grant and a supporters' appeal.",
            "The club says the new lights will use about half as much electricity, and can be "
            "dimmed for training.",
            "Supporters raised £38,000 towards the cost in six weeks.",
        ],
    },
    {
        "headline": "Bus timetable changes aim to cut waits at the hospital",
        "slug": "bus-timetable-hospital",
        "section": "city",
        "tags": ["transport"],
        "authors": ["mara-quill"],
        "hours_ago": 160,
        "standfirst": "Routes 2 and 7 will run every twelve minutes to the hospital from next "
        "month, after complaints about gaps of up to forty minutes.",
        "body": [
            "Patients and staff have long complained about waiting in the rain outside the "
            "hospital for buses that come in bunches.",
            "The new timetable staggers the two routes so that a bus leaves the hospital every "
            "twelve minutes on weekdays.",
            "Evening services will also run an hour later, until 11pm.",
        ],
    },
]

DRAFT_STORY = {
    "headline": "Council weighs a tourist levy for summer visitors",
    "slug": "tourist-levy-draft",
    "section": "city",
    "tags": ["council-budget"],
    "authors": ["mara-quill"],
    "standfirst": "A charge of £1 a night on hotel stays could raise £400,000 a year. "
    "Hoteliers are not convinced.",
    "body": [
        "Draft: still waiting for the hoteliers' association to call back.",
        "The council's finance committee will discuss the idea in March.",
    ],
}

SCHEDULED_STORY = {
    "headline": "Preview: what to expect at this year's Bay Book Festival",
    "slug": "book-festival-preview",
    "section": "culture",
    "tags": ["festival"],
    "authors": ["ines-haldane"],
    "hours_ahead": 72,
    "standfirst": "Forty events over four days, from crime fiction to a reading on a fishing "
    "boat. Here is our pick.",
    "body": [
        "The Bay Book Festival returns next week with its longest programme yet.",
        "Highlights include a night of ghost stories in the lifeboat station and a workshop "
        "for young writers run by last year's prize winners.",
    ],
}
