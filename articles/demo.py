def seed_demo_content():
    return ""
